using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The validate stage's permission checks on what a caller sends: the fields it may write, whom a
/// new record may belong to, and whether it may touch and reassign an existing record. A record the
/// caller may not read never reaches them: the pipeline does not load it, and answers as for an id
/// that never existed (not found, never forbidden), so nothing leaks its existence.
/// Hooks and rules change records on the write's behalf after these checks and are not limited by them.
/// </summary>
internal static class WriteAccess
{
    public static void CheckFields(Permissions permissions, EntityDefinition entity, IEnumerable<string> fields, RecordAction action, List<CrmError> errors)
    {
        foreach (var field in fields.Where(f => f != SystemFields.OwnerId && !permissions.CanWrite(entity.Name, f, action)))
        {
            errors.Add(new CrmError(ErrorCodes.Forbidden, $"You may not write '{field}' of {entity.Name}.", field));
        }
    }

    /// <summary>
    /// A create's input as the pipeline and the importer both take it: normalized, checked against
    /// the caller's field and create rights, with defaults applied. Refusals go to <paramref name="errors"/>.
    /// </summary>
    public static Dictionary<string, object?> CreateInput(CrmSession session, EntityDefinition entity, IReadOnlyDictionary<string, object?> input, List<CrmError> errors)
    {
        var values = WriteInput.Normalize(entity, input, errors);
        CheckFields(session.Permissions, entity, values.Keys, RecordAction.Create, errors);
        if (CheckCreate(session.Permissions, entity, values.GetValueOrDefault(SystemFields.OwnerId) as Guid? ?? session.Principal.UserId) is { } denied)
        {
            errors.Add(denied);
        }

        WriteInput.ApplyDefaults(entity, values);
        return values;
    }

    public static CrmError? CheckCreate(Permissions permissions, EntityDefinition entity, Guid owner)
    {
        var scope = permissions.Scope(entity.Name, RecordAction.Create);
        if (scope == AccessScope.None)
        {
            return new CrmError(ErrorCodes.Forbidden, $"You have no right to create {entity.Name} records.");
        }

        // Creating for someone else is creating for yourself and handing over: the assign right covers that.
        return permissions.Covers(scope, owner) || CheckAssign(permissions, entity, permissions.Principal.UserId, owner) is null
            ? null
            : new CrmError(ErrorCodes.Forbidden, $"You may only create {entity.Name} records owned by {Describe(scope)}, and have no right to assign them to others.", SystemFields.OwnerId);
    }

    /// <summary>
    /// Checks an existing record before it is changed, deleted or restored. The pipeline loads only
    /// records the caller may read, so one reaching this check is visible: refusing it says nothing new.
    /// </summary>
    public static CrmError? CheckExisting(Permissions permissions, EntityDefinition entity, RecordData record, RecordAction action)
    {
        var scope = permissions.Scope(entity.Name, action);
        return Sharing.RecordReach.Covers(permissions, scope, record)
            ? null
            : new CrmError(ErrorCodes.Forbidden, $"You may {action.ToString().ToLowerInvariant()} only {entity.Name} records owned by {Describe(scope)}.");
    }

    /// <summary>
    /// <see cref="CheckExisting"/> for an update, where a share to edit grants what the scope doesn't:
    /// one query, only for a record the scope refuses and a caller holding shares. A share never
    /// widens the entity's rights themselves: the caller needs some update scope on the entity.
    /// </summary>
    public static async Task<CrmError?> CheckUpdateAsync(Storage.TenantDbContext context, Permissions permissions, EntityDefinition entity, RecordData record, CancellationToken cancellationToken) =>
        CheckExisting(permissions, entity, record, RecordAction.Update) is { } denied
            && (permissions.Scope(entity.Name, RecordAction.Update) == AccessScope.None
                || (await Sharing.RecordReach.SharedAsync(context, permissions, [record], toEdit: true, cancellationToken)).Count == 0)
            ? denied
            : null;

    public static CrmError? CheckAssign(Permissions permissions, EntityDefinition entity, Guid? from, Guid to)
    {
        var scope = permissions.Scope(entity.Name, RecordAction.Assign);
        return permissions.Covers(scope, from) && permissions.Covers(scope, to)
            ? null
            : new CrmError(ErrorCodes.Forbidden, scope == AccessScope.None
                ? $"You have no right to reassign {entity.Name} records."
                : $"You may reassign {entity.Name} records only among {Describe(scope)}.", SystemFields.OwnerId);
    }

    /// <summary>
    /// The owner a write gives the record, when new to it, must be an identity of the tenant that can
    /// act (<see cref="UserReferences"/>). Checked twice: before the hooks for the owner the caller
    /// chose (<paramref name="afterHooks"/> false), after them for one a hook or rule chose instead.
    /// A create without an owner gives the record to its writer, who needs no check.
    /// </summary>
    public static async Task CheckNewOwnerAsync(UserReferences users, RecordChange change, bool afterHooks, CancellationToken cancellationToken)
    {
        if (change.Values.GetValueOrDefault(SystemFields.OwnerId) is not Guid owner || (change.Previous is { } previous && previous.OwnerId == owner))
        {
            return;
        }

        var callersChoice = change.Input.TryGetValue(SystemFields.OwnerId, out var input) && Equals(input, owner);
        if (callersChoice != afterHooks && await users.CheckOwnerAsync(change.Session, owner, cancellationToken) is { } unknown)
        {
            change.Errors.Add(unknown);
        }
    }

    public static CrmError NotFound(EntityDefinition entity, Guid id) => new(ErrorCodes.NotFound, $"There is no {entity.Name} with id {id}.", "id");

    private static string Describe(AccessScope scope) => scope switch
    {
        AccessScope.Own => "you",
        AccessScope.Team => "you and your teams",
        AccessScope.Organization => "you or your organization",
        AccessScope.All => "anyone",
        _ => "no one",
    };
}
