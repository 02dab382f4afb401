using System.Globalization;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Messaging.Templates;

/// <summary>
/// The merge fields a template sees: <c>record</c> with the fields the caller may read, each lookup as
/// the record it points to (<c>record.account.name</c>, one level deep, as the caller may read it),
/// money as <c>{ amount, currency }</c>. Lookup targets are read once per batch.
/// </summary>
public sealed class MergeModel(RecordReader reader)
{
    public async Task<Dictionary<string, object?>> BuildAsync(CrmSession session, RecordData record, Dictionary<(string, Guid), Dictionary<string, object?>?> looked, CancellationToken cancellationToken)
    {
        var values = Fields(record);
        foreach (var field in record.Entity.ActiveFields.Where(f => f.Type == FieldType.Lookup && record.IsVisible(f.Name)))
        {
            if (record.Get(field) is not Guid id || field.LookupEntity is not { } target)
            {
                continue;
            }

            if (!looked.TryGetValue((target, id), out var nested))
            {
                nested = await reader.GetAsync(session, target, id, includeDeleted: false, cancellationToken) is { } related ? Fields(related) : null;
                looked[(target, id)] = nested;
            }

            values[field.Name] = nested;
            values[field.Name + "Id"] = GlobalId.Encode(target, id);
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["record"] = values };
    }

    private static Dictionary<string, object?> Fields(RecordData record)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = GlobalId.Encode(record.Entity.Name, record.Id),
        };
        foreach (var field in record.Entity.ActiveFields.Where(f => f.Type != FieldType.Lookup))
        {
            values[field.Name] = Plain(record.Get(field));
        }

        return values;
    }

    private static object? Plain(object? value) => value switch
    {
        Money money => new Dictionary<string, object?> { ["amount"] = money.Amount, ["currency"] = money.Currency },
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => value,
    };
}
