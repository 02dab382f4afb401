using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Merging;

/// <summary>What a merge and its undo share: the session that moves related records, the merge's audit rows, values as the plan keeps them.</summary>
internal static class MergeWork
{
    public const string MasterField = "masterId";
    public const string DuplicatesField = "duplicates";

    /// <summary>
    /// The caller's session with the engine's rights: related records are moved whoever may change
    /// them (as Salesforce and Dataverse merges do), in the caller's name and with the caller's metadata view.
    /// </summary>
    public static CrmSession Privileged(CrmSession session) =>
        new(session.Store, session.Principal, Permissions.System(session.Principal)) { View = session.View, OnBehalfOf = session.Principal.UserId };

    /// <summary>A value as the plan (and the audit trail) keeps it.</summary>
    public static JsonElement Keep(object? value) => JsonSerializer.SerializeToElement(value, ChangeLog.Json);

    /// <summary>Whether two kept values are the same value (JSON's own equality: escapes and number forms aside).</summary>
    public static bool Same(JsonElement a, JsonElement b) => JsonElement.DeepEquals(a, b);

    /// <summary>The master's value of a field or of its owner, read without the caller's field rights.</summary>
    public static object? ValueOf(RecordData record, string field) =>
        field == SystemFields.OwnerId ? record.OwnerId : record.Get(field);

    /// <summary>An audit row on the master for the merge or its undo as a whole (its field changes have rows of their own).</summary>
    public static void Audit(WriteScope scope, RecordData master, string operation, DateTime at, IReadOnlyList<FieldChange> changes)
    {
        var (audit, _) = ChangeLog.Rows(master.Entity.Name, master.Id, RecordOperation.Update, master.Version, at, scope.Session.Principal.UserId, changes, scope.Depth);
        audit.Operation = operation;
        audit.Cause = scope.Cause;
        scope.Context.Set<AuditRow>().Add(audit);
    }

    /// <summary>The errors of a write the merge made, saying which record they are about when it is not the master.</summary>
    public static IReadOnlyList<CrmError> About(IReadOnlyList<CrmError> errors, string? entity, Guid? id, string field) =>
        id is null
            ? errors
            : errors.Select(e => e with { Field = field, Message = $"{entity} {id}: {e.Message}" }).ToList();

    public static CrmError NotFound(string field, Guid id) => new(ErrorCodes.NotFound, $"There is no record {id} to merge.", field);

    public static EntityDefinition? Entity(CrmSession session, string name) => session.Metadata.Find(name);
}
