using System.Text.Json;
using CrmEngine.Engine.Storage;


namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Writes a committed change's audit row and outbox row. Both are added to the write's own context,
/// so they commit or roll back with the change itself.
/// </summary>
internal static class ChangeLog
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Record(WriteScope scope, string entity, Guid recordId, RecordOperation operation, long version, DateTime at, Guid? actor, IReadOnlyList<FieldChange> changes)
    {
        var json = JsonSerializer.Serialize(changes.Select(c => new { field = c.Field, old = c.Old, @new = c.New }), Json);
        var op = operation.ToString().ToLowerInvariant();
        var context = scope.Context;
        context.Set<AuditRow>().Add(new AuditRow
        {
            Id = Guid.CreateVersion7(at),
            Entity = entity,
            RecordId = recordId,
            Operation = op,
            Version = version,
            At = at,
            Actor = actor,
            Changes = json,
        });
        context.Set<OutboxRow>().Add(new OutboxRow
        {
            Entity = entity,
            RecordId = recordId,
            Operation = op,
            Version = version,
            At = at,
            Actor = actor,
            Changes = json,
            Depth = scope.Depth,
        });
    }
}
