using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Reports.Definitions;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;

namespace CrmEngine.Reports.Running;

/// <summary>
/// A record report's rows: the first records (by creation) of the filter, with the columns'
/// values. Lookups' fields are read in one query per lookup, with the caller's rights: a field or
/// related record they may not read is an empty cell, as in list queries and exports.
/// </summary>
internal static class RecordRows
{
    public static async Task<(List<ReportResultRow> Rows, bool HasMore)> ReadAsync(
        CrmSession session, RecordReader reader, ReportDefinition definition, Condition? where, int limit, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(definition.Entity);
        var columns = definition.Columns.Select(c => ReportValidator.Column(session.Metadata, entity, c)!.Value).ToList();
        var page = await reader.ListAsync(session, new RecordQuery(entity.Name)
        {
            Filter = where,
            First = limit,
            Fields = columns.Select(c => c.Lookup?.Name ?? c.Field).Distinct().ToList(),
        }, cancellationToken);
        var records = page.Edges.Select(e => e.Record).ToList();

        var related = new Dictionary<string, IReadOnlyDictionary<Guid, RecordData>>(StringComparer.Ordinal);
        foreach (var lookup in columns.Where(c => c.Lookup is not null).Select(c => c.Lookup!).DistinctBy(l => l.Name))
        {
            var ids = records.Select(r => r.Get(lookup)).OfType<Guid>().Distinct().ToList();
            related[lookup.Name] = await reader.GetManyAsync(session, lookup.LookupEntity!, ids, cancellationToken);
        }

        var rows = records.Select(record => new ReportResultRow([], 1, [])
        {
            RecordId = GlobalId.Encode(entity.Name, record.Id),
            Columns = columns.Select(c => c.Lookup is null
                ? Read(record, c.Field)
                : record.Get(c.Lookup) is Guid id && related[c.Lookup.Name].TryGetValue(id, out var target) ? Read(target, c.Field) : null).ToList(),
        }).ToList();
        return (rows, page.HasNextPage);
    }

    /// <summary>A field's value as the API gives it: lookups and users as global ids, hidden fields as null.</summary>
    private static object? Read(RecordData record, string field) => field switch
    {
        SystemFields.Id => GlobalId.Encode(record.Entity.Name, record.Id),
        SystemFields.CreatedAt => record.CreatedAt,
        SystemFields.UpdatedAt => record.UpdatedAt,
        SystemFields.OwnerId => User(record.OwnerId),
        SystemFields.CreatedBy => User(record.CreatedBy),
        SystemFields.UpdatedBy => User(record.UpdatedBy),
        _ => record.Entity.FindField(field) is { Type: FieldType.Lookup } lookup
            ? record.Get(lookup) is Guid id ? GlobalId.Encode(lookup.LookupEntity!, id) : null
            : record.Get(field),
    };

    private static string? User(Guid? id) => id is { } user ? GlobalId.Encode(GlobalId.UserType, user) : null;
}
