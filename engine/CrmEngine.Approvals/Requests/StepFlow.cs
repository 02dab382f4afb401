using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Rules.Logging;
using CrmEngine.Sdk.Approvals;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Approvals.Requests;

/// <summary>What became of an approver's task.</summary>
public enum TaskOutcome
{
    Approved,
    Rejected,

    /// <summary>The step was decided without them (another approver of an ANY step, an admin).</summary>
    NotNeeded,

    /// <summary>The request was rejected or recalled before they decided.</summary>
    Cancelled,
}

/// <summary>A line of a request's history.</summary>
public enum ApprovalAction
{
    Submitted,
    StepSkipped,
    Approved,
    Rejected,
    Recalled,
}

/// <summary>
/// Moves requests through their steps inside the decision's own transaction: a step whose condition
/// the record doesn't meet is skipped, the next one gets its approvers' tasks (and notifies them),
/// and a request past its last step is approved. The end of a request sets the process's status
/// field through the record pipeline, after the request stopped being pending (so fields the
/// process locks are free again), and notifies the submitter.
/// </summary>
public sealed class StepFlow(ApproverResolver approvers, RecordReader reader, RecordPipeline pipeline, Notifications notifications, ApprovalMail mail, TimeProvider time)
{
    public async Task AdvanceAsync(WriteScope scope, ApprovalRequestRow request, ApprovalProcessDeclaration process, RecordData record, int from, CancellationToken cancellationToken)
    {
        var session = scope.Session;
        for (var index = from; index < process.Steps.Count; index++)
        {
            var step = process.Steps[index];
            if (step.When is not null && !await MatchesAsync(session, record, step.When, cancellationToken))
            {
                Log(scope, request, ApprovalAction.StepSkipped, index, step.Name, null, null);
                continue;
            }

            var users = await approvers.ResolveAsync(session, record, step.Approvers, process.OwnerMayApprove, cancellationToken);
            if (users.Count == 0 && !process.AdminsMayApprove)
            {
                throw new CrmException(ErrorCodes.ApprovalNoApprovers, $"Step '{step.Name}' of approval process '{process.Name}' has nobody who could decide it for this record; nothing was changed.", "process");
            }

            request.Step = index;
            request.StepName = step.Name;
            var message = $"Approval requested ({process.Name}, step '{step.Name}'): {Describe(record)}. 请审批。";
            foreach (var user in users)
            {
                scope.Context.Set<ApprovalTaskRow>().Add(new ApprovalTaskRow { Id = Guid.CreateVersion7(), RequestId = request.Id, Step = index, ApproverId = user, CreatedAt = Now });
                await notifications.AddAsync(session, user, message, null, record.Entity.Name, record.Id, cancellationToken);
            }

            await mail.SendAsync(scope, users, record, $"Approval requested 待审批: {Describe(record)}", message, cancellationToken);
            return;
        }

        await FinishAsync(scope, request, process, record, ApprovalRequestStatus.Approved, cancellationToken);
    }

    /// <summary>Ends a request: no longer pending, its status field set, its submitter told (unless they ended it themselves).</summary>
    public async Task FinishAsync(WriteScope scope, ApprovalRequestRow request, ApprovalProcessDeclaration? process, RecordData record, ApprovalRequestStatus status, CancellationToken cancellationToken)
    {
        request.Status = status.ToString();
        request.OpenKey = null;
        request.DecidedAt = Now;
        await scope.Context.SaveChangesAsync(cancellationToken);
        var value = process?.Status is not { } field ? null : status switch
        {
            ApprovalRequestStatus.Approved => field.Approved,
            ApprovalRequestStatus.Rejected => field.Rejected,
            _ => field.Recalled,
        };
        await SetStatusAsync(scope.Session, record, process?.Status?.Field, value, cancellationToken);
        if (request.SubmittedBy != scope.Session.Principal.UserId)
        {
            var message = $"Your approval request ({request.Process}) was {status.ToString().ToLowerInvariant()}: {Describe(record)}.";
            await notifications.AddAsync(scope.Session, request.SubmittedBy, message, null, record.Entity.Name, record.Id, cancellationToken);
            await mail.SendAsync(scope, [request.SubmittedBy], record, $"Approval {status.ToString().ToLowerInvariant()}: {Describe(record)}", message, cancellationToken);
        }
    }

    /// <summary>Writes the process's status field through the pipeline (with the engine's rights, in the actor's name); null leaves it.</summary>
    public async Task SetStatusAsync(CrmSession session, RecordData record, string? field, string? value, CancellationToken cancellationToken)
    {
        if (field is null || value is null)
        {
            return;
        }

        var written = await pipeline.UpdateAsync(Sessions.Privileged(session), record.Entity.Name, record.Id, null, new Dictionary<string, object?> { [field] = value }, cancellationToken);
        if (!written.Succeeded)
        {
            throw new CrmException(written.Errors);
        }
    }

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public void Log(WriteScope scope, ApprovalRequestRow request, ApprovalAction action, int? step, string? stepName, string? comment, Guid? onBehalfOf) =>
        scope.Context.Set<ApprovalEventRow>().Add(new ApprovalEventRow
        {
            Id = Guid.CreateVersion7(),
            RequestId = request.Id,
            Sequence = ++request.EventCount,
            Entity = request.Entity,
            RecordId = request.RecordId,
            At = Now,
            Action = action.ToString(),
            Step = step,
            StepName = stepName,
            ActorId = scope.Session.Principal.UserId,
            OnBehalfOf = onBehalfOf,
            Comment = comment,
        });

    /// <summary>Whether the record meets a condition: the record's id and the condition as one list query, with full read rights.</summary>
    public async Task<bool> MatchesAsync(CrmSession session, RecordData record, Condition condition, CancellationToken cancellationToken)
    {
        var query = new Engine.Records.Querying.RecordQuery(record.Entity.Name)
        {
            Filter = new Condition.AllOf([new Condition.Comparison(SystemFields.Id, ComparisonOperator.Eq, record.Id), condition]),
            First = 1,
            Fields = [SystemFields.Id],
        };
        return (await reader.ListAsync(Sessions.Privileged(session), query, cancellationToken)).Edges.Count > 0;
    }

    private static string Describe(RecordData record) =>
        record.Entity.DisplayField is { } display && record.Get(display) is { } value ? $"{record.Entity.Name} '{value}'" : $"{record.Entity.Name} {GlobalId.Encode(record.Entity.Name, record.Id)}";
}
