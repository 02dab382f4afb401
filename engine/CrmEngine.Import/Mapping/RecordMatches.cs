using CrmEngine.Engine;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Records;
using Microsoft.Extensions.Options;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;

namespace CrmEngine.Import.Mapping;

/// <summary>
/// Finds the records the caller can read whose field holds one of a batch of values, a few hundred
/// values to a query: the upsert's existing records and the records lookup cells name. Values are
/// compared in their normalized text form (<see cref="KeyOf"/>).
/// </summary>
public sealed class RecordMatches(RecordReader reader, IOptions<CrmEngineOptions> options)
{
    private const int ValuesPerQuery = 200;

    /// <summary>The ids of the live records holding each value, by <see cref="KeyOf"/> of the value.</summary>
    public async Task<Dictionary<string, List<Guid>>> FindAsync(CrmSession session, EntityDefinition entity, FieldDefinition field, IReadOnlyCollection<object> values, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        foreach (var chunk in values.Chunk(ValuesPerQuery))
        {
            string? after = null;
            do
            {
                var page = await reader.ListAsync(session, new RecordQuery(entity.Name)
                {
                    Filter = new Condition.Comparison(field.Name, ComparisonOperator.In, chunk.ToList()),
                    Fields = [field.Name],
                    First = options.Value.MaxPageSize,
                    After = after,
                }, cancellationToken);
                foreach (var edge in page.Edges)
                {
                    var key = KeyOf(field, edge.Record.Get(field));
                    if (key is not null)
                    {
                        (found.TryGetValue(key, out var ids) ? ids : found[key] = []).Add(edge.Record.Id);
                    }
                }

                after = page.HasNextPage ? page.EndCursor : null;
            }
            while (after is not null);
        }

        return found;
    }

    /// <summary>The value as the field normalizes it, as text; null when the field would refuse it.</summary>
    public static string? KeyOf(FieldDefinition field, object? value)
    {
        if (value is null)
        {
            return null;
        }

        var normalized = field.Of().Normalize(field, value);
        return normalized.IsOk ? field.Of().FormatText(normalized.Value) : null;
    }

    /// <summary>The value as the field normalizes it, for a filter; null when the field would refuse it.</summary>
    public static object? Normalized(FieldDefinition field, object value)
    {
        var normalized = field.Of().Normalize(field, value);
        return normalized.IsOk ? normalized.Value : null;
    }
}
