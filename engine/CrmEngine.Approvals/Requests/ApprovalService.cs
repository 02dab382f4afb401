using CrmEngine.Approvals.Processes;
using CrmEngine.Approvals.Storage;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Approvals.Requests;

/// <summary>
/// Submitting, deciding and recalling approval requests. Each runs in one transaction (the caller's,
/// inside a plugin mutation) with the status field's write and the notifications, so a refusal
/// anywhere leaves nothing behind. A request is seen by whoever may read its record, its submitter,
/// its approvers and their delegates; to anyone else it answers exactly as a made-up id does.
/// </summary>
public sealed class ApprovalService(ProcessCatalog catalog, StepFlow flow, ApproverResolver approvers, RecordReader reader, Delegations delegations, OutboxSignal outbox, IOptions<CrmEngineOptions> options)
{
    private const int Attempts = 3;

    public async Task<ApprovalRequestRow> SubmitAsync(CrmSession session, string entityName, Guid recordId, string? comment, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Find(entityName) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{entityName}'.", "entity");
        var record = await reader.GetAsync(session, entity.Name, recordId, includeDeleted: false, cancellationToken) ?? throw NotFound("id");
        if (!Engine.Sharing.RecordReach.Covers(session.Permissions, session.Permissions.Scope(entity.Name, RecordAction.Update), record))
        {
            throw new CrmException(ErrorCodes.Forbidden, $"Submitting a record for approval needs the right to update it; you may not update this {entity.Name}.", "id");
        }

        return await InTransactionAsync(session, entity.Name, async scope =>
        {
            var key = OpenKey(entity.Name, recordId);
            if (await scope.Context.Set<ApprovalRequestRow>().AnyAsync(r => r.OpenKey == key, cancellationToken))
            {
                throw new CrmException(ErrorCodes.ApprovalPending, "This record is already pending approval; recall that request before submitting again.", "id");
            }

            var process = await MatchingProcessAsync(session, record, cancellationToken);
            var request = new ApprovalRequestRow
            {
                Id = Guid.CreateVersion7(),
                Process = process.Name,
                Entity = entity.Name,
                RecordId = recordId,
                Status = nameof(ApprovalRequestStatus.Pending),
                SubmittedBy = session.Principal.UserId,
                SubmittedAt = flow.Now,
                Comment = Trim(comment),
                OpenKey = key,
            };
            // The pending status is written before the request exists: the fields it locks are still free.
            await flow.SetStatusAsync(session, record, process.Status?.Field, process.Status?.Pending, cancellationToken);
            scope.Context.Set<ApprovalRequestRow>().Add(request);
            flow.Log(scope, request, ApprovalAction.Submitted, null, null, request.Comment, null);
            await flow.AdvanceAsync(scope, request, process, record, 0, cancellationToken);
            return request;
        }, cancellationToken);
    }

    public async Task<ApprovalRequestRow?> FindPendingAsync(CrmSession session, string entity, Guid recordId, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(session, entity, recordId, includeDeleted: false, cancellationToken) is null)
        {
            return null;
        }

        var key = OpenKey(entity, recordId);
        return await Sessions.ReadAsync(session, context => context.Set<ApprovalRequestRow>().AsNoTracking().SingleOrDefaultAsync(r => r.OpenKey == key, cancellationToken));
    }

    /// <summary>Approves or rejects the request's current step as the caller, or as the delegate of one of its approvers.</summary>
    public Task<ApprovalRequestRow> DecideAsync(CrmSession session, Guid requestId, bool approve, string? comment, CancellationToken cancellationToken)
    {
        comment = Trim(comment);
        if (!approve && comment is null)
        {
            throw new CrmException(ErrorCodes.ApprovalCommentRequired, "Say why the request is rejected (comment).", "comment");
        }

        return InTransactionAsync(session, "approval", async scope =>
        {
            var (request, record) = await VisibleAsync(scope, requestId, cancellationToken);
            RequirePending(request);
            var process = await ProcessAsync(session, request, cancellationToken)
                ?? throw new CrmException(ErrorCodes.InvalidDefinition, $"Approval process '{request.Process}' no longer exists on this tenant; the request can only be recalled.", "requestId");
            var actor = session.Principal.UserId;
            var open = await scope.Context.Set<ApprovalTaskRow>().AsTracking().Where(t => t.RequestId == request.Id && t.Step == request.Step && t.Outcome == null).ToListAsync(cancellationToken);
            var forWhom = await delegations.ActingForAsync(scope.Context, actor, cancellationToken);
            var step = process.Steps[request.Step];
            var task = open.FirstOrDefault(t => t.ApproverId == actor) ?? open.FirstOrDefault(t => forWhom.Contains(t.ApproverId))
                ?? await LateApproverAsync(scope, request, step, process, record, forWhom, cancellationToken);
            var asAdmin = task is null && process.AdminsMayApprove && session.Principal.IsAdmin;
            if (task is null && !asAdmin)
            {
                throw new CrmException(ErrorCodes.ApprovalNotApprover, $"You are not an approver of step '{request.StepName}' of this request (nor an approver's delegate).", "requestId");
            }

            var onBehalfOf = task is not null && task.ApproverId != actor ? task.ApproverId : (Guid?)null;
            flow.Log(scope, request, approve ? ApprovalAction.Approved : ApprovalAction.Rejected, request.Step, step.Name, comment, onBehalfOf);
            request.Version++;
            if (task is not null)
            {
                task.Outcome = (approve ? TaskOutcome.Approved : TaskOutcome.Rejected).ToString();
            }

            var stepDone = !approve || asAdmin || step.Mode == ApprovalMode.Any || open.All(t => t.Outcome is not null);
            foreach (var other in stepDone ? open.Where(t => t.Outcome is null) : [])
            {
                other.Outcome = (approve ? TaskOutcome.NotNeeded : TaskOutcome.Cancelled).ToString();
            }

            // Two decisions made at once: the request's version lets only the first count.
            await scope.Context.SaveChangesAsync(cancellationToken);
            if (!approve)
            {
                await flow.FinishAsync(scope, request, process, record, ApprovalRequestStatus.Rejected, cancellationToken);
            }
            else if (stepDone)
            {
                await flow.AdvanceAsync(scope, request, process, record, request.Step + 1, cancellationToken);
            }

            return request;
        }, cancellationToken);
    }

    /// <summary>Takes a pending request back: its submitter only; open tasks are cancelled.</summary>
    public Task<ApprovalRequestRow> RecallAsync(CrmSession session, Guid requestId, CancellationToken cancellationToken) =>
        InTransactionAsync(session, "approval", async scope =>
        {
            var (request, record) = await VisibleAsync(scope, requestId, cancellationToken);
            RequirePending(request);
            var process = await ProcessAsync(session, request, cancellationToken);
            if (request.SubmittedBy != session.Principal.UserId)
            {
                throw new CrmException(ErrorCodes.ApprovalNotSubmitter, "Only the request's submitter recalls it.", "requestId");
            }

            await foreach (var task in scope.Context.Set<ApprovalTaskRow>().AsTracking().Where(t => t.RequestId == request.Id && t.Outcome == null).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                task.Outcome = nameof(TaskOutcome.Cancelled);
            }

            request.Version++;
            flow.Log(scope, request, ApprovalAction.Recalled, request.Step, request.StepName, null, null);
            await flow.FinishAsync(scope, request, process, record, ApprovalRequestStatus.Recalled, cancellationToken);
            return request;
        }, cancellationToken);

    /// <summary>
    /// An ANY step is decided by whoever is one of its approvers when they decide: someone who became
    /// one since the step was reached (given the role, made the owner's manager) gets their task now.
    /// An ALL step keeps the approvers it had when it was reached.
    /// </summary>
    private async Task<ApprovalTaskRow?> LateApproverAsync(WriteScope scope, ApprovalRequestRow request, ApprovalStepDeclaration step, ApprovalProcessDeclaration process, RecordData record, List<Guid> forWhom, CancellationToken cancellationToken)
    {
        if (step.Mode != ApprovalMode.Any)
        {
            return null;
        }

        var actor = scope.Session.Principal.UserId;
        var now = await approvers.ResolveAsync(scope.Session, record, step.Approvers, process.OwnerMayApprove, cancellationToken);
        var approver = now.Contains(actor) ? actor : now.FirstOrDefault(forWhom.Contains);
        if (approver == Guid.Empty)
        {
            return null;
        }

        var task = new ApprovalTaskRow { Id = Guid.CreateVersion7(), RequestId = request.Id, Step = request.Step, ApproverId = approver, CreatedAt = flow.Now };
        scope.Context.Set<ApprovalTaskRow>().Add(task);
        return task;
    }

    public static string OpenKey(string entity, Guid recordId) => entity + ":" + recordId.ToString("N");

    /// <summary>What a request id that isn't there, or that the caller may not see, answers.</summary>
    public static CrmException NotFound(string field) => new(ErrorCodes.NotFound, "There is no such record or approval request, or you can't see it.", field);

    /// <summary>The first active process of the entity whose criteria the record meets, by name.</summary>
    private async Task<ApprovalProcessDeclaration> MatchingProcessAsync(CrmSession session, RecordData record, CancellationToken cancellationToken)
    {
        foreach (var process in (await catalog.ListAsync(session.Store, session.Metadata, record.Entity.Name, cancellationToken)).Where(p => p.Active))
        {
            var definition = process.Resolve(session.Metadata);
            if (definition.Criteria is null || await flow.MatchesAsync(session, record, definition.Criteria, cancellationToken))
            {
                return definition;
            }
        }

        throw new CrmException(ErrorCodes.ApprovalNoProcess, $"No active approval process of {record.Entity.Name} takes this record (none has criteria it meets).", "id");
    }

    private async Task<ApprovalProcessDeclaration?> ProcessAsync(CrmSession session, ApprovalRequestRow request, CancellationToken cancellationToken) =>
        (await catalog.ListAsync(session.Store, session.Metadata, request.Entity, cancellationToken)).FirstOrDefault(p => p.Name == request.Process)?.Resolve(session.Metadata);

    private static void RequirePending(ApprovalRequestRow request)
    {
        if (request.Status != nameof(ApprovalRequestStatus.Pending))
        {
            throw new CrmException(ErrorCodes.ApprovalNotPending, $"This request is {request.Status.ToLowerInvariant()}, no longer pending.", "requestId");
        }
    }

    /// <summary>The request (tracked: the tenant contexts don't track by default, in the transaction) and its record, when the caller may see them.</summary>
    private async Task<(ApprovalRequestRow Request, RecordData Record)> VisibleAsync(WriteScope scope, Guid requestId, CancellationToken cancellationToken)
    {
        var session = scope.Session;
        var request = await scope.Context.Set<ApprovalRequestRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) ?? throw NotFound("requestId");
        var record = await reader.GetAsync(Sessions.Privileged(session), request.Entity, request.RecordId, includeDeleted: false, cancellationToken) ?? throw NotFound("requestId");
        if (!await CanSeeAsync(scope.Context, session, request, cancellationToken))
        {
            throw NotFound("requestId");
        }

        return (request, record);
    }

    /// <summary>Whoever reads the record, the submitter, the request's approvers and their delegates.</summary>
    internal async Task<bool> CanSeeAsync(Engine.Storage.TenantDbContext context, CrmSession session, ApprovalRequestRow request, CancellationToken cancellationToken)
    {
        var user = session.Principal.UserId;
        if (request.SubmittedBy == user || await reader.GetAsync(session, request.Entity, request.RecordId, includeDeleted: false, cancellationToken) is not null)
        {
            return true;
        }

        var forWhom = await delegations.ActingForAsync(context, user, cancellationToken);
        var id = request.Id;
        return await context.Set<ApprovalTaskRow>().AnyAsync(t => t.RequestId == id && (t.ApproverId == user || forWhom.Contains(t.ApproverId)), cancellationToken);
    }

    private static string? Trim(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();

    /// <summary>
    /// Runs work in a transaction of its own, or in the caller's (a plugin mutation). A decision that
    /// lost a race on the request's version is tried again from the start (it then sees what the
    /// other decided); inside a caller's transaction it is refused instead.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(CrmSession session, string entity, Func<WriteScope, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(session, entity, work, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts && WriteScope.For(session) is null)
            {
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new CrmException(ErrorCodes.ApprovalNotPending, "Someone else decided this request at the same moment; read it again.", "requestId");
            }
            catch (DbUpdateException e) when (session.Store.Provider.IsUniqueViolation(e))
            {
                // Only the open key is unique: two submissions of one record at the same moment.
                throw new CrmException(ErrorCodes.ApprovalPending, "This record was submitted for approval at the same moment by someone else.", "id");
            }
        }
    }

    // A method of its own: the scope it activates stays ambient only inside it (AsyncLocal), not in the retry loop.
    private async Task<T> AttemptAsync<T>(CrmSession session, string entity, Func<WriteScope, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var scope = (await WriteScope.BeginAsync(session, "approval:" + entity, null, options.Value.MaxCascadeDepth, cancellationToken)).Activate();
        var result = await work(scope);
        scope.AfterCommit(() => outbox.Notify(session.TenantId));
        await scope.CompleteAsync(cancellationToken);
        return result;
    }
}
