using CrmEngine.Approvals.Requests;
using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Approvals.Processes;

/// <summary>A step as an admin defines it: its condition in the entity's filter form (JSON).</summary>
public sealed record StepInput(string Name, ApprovalMode Mode, object? When, IReadOnlyList<Approver> Approvers);

/// <summary>A whole process as an admin defines it (saving replaces the previous definition).</summary>
public sealed record ProcessInput(string Name, string Entity, bool Active, object? Criteria, IReadOnlyList<StepInput> Steps, IReadOnlyList<string> LockedFields, ApprovalStatusField? Status, bool AdminsMayApprove, bool OwnerMayApprove);

/// <summary>
/// Admins' approval processes. A definition is checked whole and refused with typed errors, nothing
/// saved, when any part is wrong: the entity, the name (taken by another process or a plugin's), the
/// criteria and step conditions (read and run as a list query's filter is), the steps and their
/// approvers (roles, users and teams that exist), locked fields, the status field and its values.
/// </summary>
public sealed class ProcessAdmin(ProcessCatalog catalog, IdentityDirectory identities, RecordReader reader, ChangeFeed changes, TimeProvider time)
{
    public const int MaxSteps = 20;

    public async Task<ApprovalProcess> SaveAsync(CrmSession session, Guid? id, ProcessInput input, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        var stored = await CheckAsync(session, id, input, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var context = session.CreateContext();
        var row = id is { } existing
            ? await context.Set<ApprovalProcessRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == existing, cancellationToken) ?? throw new CrmException(ErrorCodes.NotFound, "There is no approval process with that id.", "id")
            : context.Set<ApprovalProcessRow>().Add(new ApprovalProcessRow { Id = Guid.CreateVersion7(), Name = input.Name, Entity = input.Entity, Definition = string.Empty, CreatedBy = session.Principal.UserId, CreatedAt = now }).Entity;
        row.Name = input.Name.Trim();
        row.Entity = input.Entity;
        row.Active = input.Active;
        row.Definition = stored.Serialize();
        row.UpdatedAt = now;
        await context.SaveChangesAsync(cancellationToken);
        await ChangedAsync(session, cancellationToken);
        return ApprovalProcess.From(row);
    }

    public async Task<ApprovalProcess> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var row = await context.Set<ApprovalProcessRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new CrmException(ErrorCodes.NotFound, "There is no approval process with that id.", "id");
        context.Remove(row);
        await context.SaveChangesAsync(cancellationToken);
        await ChangedAsync(session, cancellationToken);
        return ApprovalProcess.From(row);
    }

    public async Task<IReadOnlyList<ApprovalProcess>> ListAsync(CrmSession session, string? entity, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        return await catalog.ListAsync(session.Store, session.Metadata, entity, cancellationToken);
    }

    internal static void RequireAdmin(CrmSession session)
    {
        if (!session.Principal.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Approval processes are defined by admins.");
        }
    }

    private async Task ChangedAsync(CrmSession session, CancellationToken cancellationToken)
    {
        catalog.Invalidate(session.TenantId);
        await changes.PublishAsync(new ChangeEvent(ProcessCatalog.ChangeKind, session.TenantId), cancellationToken);
    }

    private async Task<StoredDefinition> CheckAsync(CrmSession session, Guid? id, ProcessInput input, CancellationToken cancellationToken)
    {
        var errors = new List<CrmError>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidName, "A process has a name of 1 to 100 characters.", "name"));
        }
        else if ((await catalog.ListAsync(session.Store, session.Metadata, null, cancellationToken)).Any(p => p.Name == input.Name.Trim() && (p.Id is null || p.Id != id)))
        {
            errors.Add(new CrmError(ErrorCodes.NameTaken, $"Another approval process is named '{input.Name.Trim()}'.", "name"));
        }

        if (session.Metadata.Find(input.Entity) is not { } entity)
        {
            throw new CrmException([.. errors, new CrmError(ErrorCodes.UnknownEntity, $"There is no entity named '{input.Entity}'.", "entity")]);
        }

        var criteria = await ConditionAsync(session, entity, input.Criteria, "criteria", errors, cancellationToken);
        if (input.Steps.Count is 0 or > MaxSteps)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidDefinition, $"A process has 1 to {MaxSteps} steps.", "steps"));
        }

        var directory = await identities.GetAsync(session.Store, cancellationToken);
        var steps = new List<StoredStep>();
        for (var i = 0; i < input.Steps.Count; i++)
        {
            var step = input.Steps[i];
            var path = $"steps[{i}]";
            if (string.IsNullOrWhiteSpace(step.Name) || input.Steps.Take(i).Any(s => s.Name == step.Name))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidDefinition, "Each step has a name of its own.", path + ".name"));
            }

            if (step.Approvers.Count == 0)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidDefinition, "Each step names its approvers.", path + ".approvers"));
            }

            errors.AddRange(step.Approvers.Select((a, j) => CheckApprover(directory, a, $"{path}.approvers[{j}]")).OfType<CrmError>());
            var when = await ConditionAsync(session, entity, step.When, path + ".when", errors, cancellationToken);
            steps.Add(new StoredStep(step.Name.Trim(), step.Mode, step.Approvers, when));
        }

        foreach (var field in input.LockedFields.Where(f => entity.FindField(f) is null))
        {
            errors.Add(new CrmError(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{field}' to lock.", "lockedFields"));
        }

        if (input.Status is { } status)
        {
            errors.AddRange(CheckStatus(entity, status));
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        return new StoredDefinition(criteria, steps, input.LockedFields.Distinct(StringComparer.Ordinal).ToList(), input.Status, input.AdminsMayApprove, input.OwnerMayApprove);
    }

    private static CrmError? CheckApprover(TenantDirectory directory, Approver approver, string path) => approver.Kind switch
    {
        ApproverKind.Role when approver.Reference is null || !directory.Roles.ContainsKey(approver.Reference) =>
            new CrmError(ErrorCodes.InvalidDefinition, $"There is no role named '{approver.Reference}'.", path + ".role"),
        ApproverKind.User when ApproverResolver.FindUser(directory, approver.Reference) is null =>
            new CrmError(ErrorCodes.UserNotFound, "There is no such user.", path + ".userId"),
        ApproverKind.Team when ApproverResolver.FindTeam(directory, approver.Reference) is null =>
            new CrmError(ErrorCodes.InvalidDefinition, "There is no such team.", path + ".teamId"),
        ApproverKind.Resolved => new CrmError(ErrorCodes.InvalidDefinition, "Resolved approvers are for plugins' processes.", path + ".kind"),
        _ => null,
    };

    /// <summary>Each status value must be one the field takes (a picklist's option, a text within its limits).</summary>
    private static IEnumerable<CrmError> CheckStatus(EntityDefinition entity, ApprovalStatusField status)
    {
        if (entity.FindField(status.Field) is not { } field)
        {
            yield return new CrmError(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{status.Field}' for the approval status.", "statusField.field");
            yield break;
        }

        foreach (var (name, value) in new[] { ("pending", status.Pending), ("approved", status.Approved), ("rejected", status.Rejected), ("recalled", status.Recalled) })
        {
            if (value is not null && field.Of().Normalize(field, value) is { IsOk: false } bad)
            {
                yield return bad.Error! with { Field = "statusField." + name };
            }
        }
    }

    /// <summary>A filter read and run as a list query's is (errors keep their codes, placed at <paramref name="path"/>), kept as JSON.</summary>
    private async Task<System.Text.Json.JsonElement?> ConditionAsync(CrmSession session, EntityDefinition entity, object? filter, string path, List<CrmError> errors, CancellationToken cancellationToken)
    {
        if (filter is null)
        {
            return null;
        }

        var kept = StoredDefinition.Keep(filter);
        try
        {
            if (kept is not { ValueKind: System.Text.Json.JsonValueKind.Object })
            {
                throw new CrmException(ErrorCodes.InvalidDefinition, "A condition is an object in the form of the entity's filter (as a list query's filter argument).", path);
            }

            var condition = ApprovalProcess.Read(session.Metadata, entity, kept);
            await reader.ListAsync(Sessions.Privileged(session), new Engine.Records.Querying.RecordQuery(entity.Name) { Filter = condition, First = 1, Fields = [SystemFields.Id] }, cancellationToken);
        }
        catch (CrmException e)
        {
            errors.AddRange(e.Errors.Select(error => error with { Field = path }));
        }

        return kept;
    }
}
