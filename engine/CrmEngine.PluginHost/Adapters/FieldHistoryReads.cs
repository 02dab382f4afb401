using System.Runtime.CompilerServices;
using System.Text.Json;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Records;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// <see cref="IFieldHistory"/> over the audit trail: an entity's audit rows in the time range whose
/// changes name the field (a text match narrows them in the store, the JSON is then read), kept
/// for the records the caller may read (deleted ones included), read a page of ids at a time.
/// </summary>
internal static class FieldHistoryReads
{
    private const int Page = 500;

    public static async IAsyncEnumerable<FieldChangeEntry> ReadAsync(CrmSession session, RecordReader reader, string entity, string field, DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definition = session.Metadata.Find(entity) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{entity}'.", "entity");
        _ = definition.FindAnyField(field) ?? throw new CrmException(ErrorCodes.UnknownField, $"'{entity}' has no field '{field}'.", "field");
        if (!session.Permissions.CanRead(entity, field))
        {
            throw new CrmException(ErrorCodes.Forbidden, $"You may not read '{entity}.{field}'.", "field");
        }

        var (from, to) = (DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), DateTime.SpecifyKind(toUtc, DateTimeKind.Utc));
        var marker = $"\"field\":\"{field}\"";
        for (var skip = 0; ; skip += Page)
        {
            List<AuditRow> rows;
            await using (var context = session.CreateContext())
            {
                rows = await context.Set<AuditRow>()
                    .Where(a => a.Entity == entity && a.At >= from && a.At < to && a.Changes.Contains(marker))
                    .OrderBy(a => a.At).ThenBy(a => a.Id).Skip(skip).Take(Page)
                    .ToListAsync(cancellationToken);
            }

            var readable = await ReadableAsync(session, reader, entity, rows.Select(r => r.RecordId).Distinct().ToList(), cancellationToken);
            foreach (var row in rows.Where(r => readable.Contains(r.RecordId)))
            {
                foreach (var change in JsonSerializer.Deserialize<List<JsonElement>>(row.Changes) ?? [])
                {
                    if (change.GetProperty("field").GetString() == field)
                    {
                        yield return new FieldChangeEntry(row.RecordId, DateTime.SpecifyKind(row.At, DateTimeKind.Utc), row.Operation, Text(change, "old"), Text(change, "new"));
                    }
                }
            }

            if (rows.Count < Page)
            {
                yield break;
            }
        }
    }

    private static string? Text(JsonElement change, string name) =>
        change.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            _ => value.GetRawText(),
        } : null;

    private static async Task<HashSet<Guid>> ReadableAsync(CrmSession session, RecordReader reader, string entity, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var page = await reader.ListAsync(session, new Engine.Records.Querying.RecordQuery(entity)
        {
            Filter = Condition.In("id", ids.Select(id => (object?)id)),
            First = ids.Count,
            Deleted = DeletedRecords.Include,
            Fields = [],
        }, cancellationToken);
        return page.Edges.Select(e => e.Record.Id).ToHashSet();
    }
}
