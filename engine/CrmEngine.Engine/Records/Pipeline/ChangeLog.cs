using System.Text.Json;
using CrmEngine.Engine.Storage;


namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Writes a committed change's audit row and outbox row. Both go into the write's own transaction,
/// so they commit or roll back with the change itself.
/// </summary>
internal static class ChangeLog
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Adds the rows of one change to the scope's write.</summary>
    public static void Record(WriteScope scope, string entity, Guid recordId, RecordOperation operation, long version, DateTime at, Guid? actor, IReadOnlyList<FieldChange> changes)
    {
        var (audit, outbox) = Rows(entity, recordId, operation, version, at, actor, changes, scope.Depth);
        audit.Cause = scope.Cause;
        scope.AddLog(audit, outbox);
    }

    /// <summary>The audit row and outbox row of one change, for callers that write them themselves (bulk imports).</summary>
    public static (AuditRow Audit, OutboxRow Outbox) Rows(string entity, Guid recordId, RecordOperation operation, long version, DateTime at, Guid? actor, IReadOnlyList<FieldChange> changes, int depth)
    {
        var json = JsonSerializer.Serialize(changes.Select(c => new { field = c.Field, old = c.Old, @new = c.New }), Json);
        var op = operation.ToString().ToLowerInvariant();
        var audit = new AuditRow
        {
            Id = Guid.CreateVersion7(at),
            Entity = entity,
            RecordId = recordId,
            Operation = op,
            Version = version,
            At = at,
            Actor = actor,
            Changes = json,
        };
        var outbox = new OutboxRow
        {
            Entity = entity,
            RecordId = recordId,
            Operation = op,
            Version = version,
            At = at,
            Actor = actor,
            Changes = json,
            Depth = depth,
        };
        return (audit, outbox);
    }
}
