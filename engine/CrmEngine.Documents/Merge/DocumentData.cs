using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Metadata;
using Condition = CrmEngine.Sdk.Records.Condition;
using Money = CrmEngine.Sdk.Records.Money;

namespace CrmEngine.Documents.Merge;

/// <summary>
/// What a template is filled from, as the caller may read it, every value already formatted for the
/// document's language: the record's fields (<c>{{number}}</c>), each lookup as the record it points
/// to (<c>{{customer.name}}</c>), and each inverse list as its records in creation order, with their
/// own lookups (<c>{{lines.product.name}}</c>, one table row per line).
/// </summary>
public sealed class DocumentData(RecordReader reader)
{
    /// <summary>The most lines an inverse list brings into one document.</summary>
    public const int MaxLines = 500;

    public async Task<Dictionary<string, object?>> BuildAsync(CrmSession session, RecordData record, string language, CancellationToken cancellationToken)
    {
        var looked = new Dictionary<(string, Guid), Dictionary<string, object?>?>();
        var values = await WithLookupsAsync(session, record, language, looked, cancellationToken);
        foreach (var (child, lookup) in InverseLists(session, record.Entity.Name))
        {
            var page = await reader.ListAsync(session, new RecordQuery(child.Name) { Filter = Condition.Eq(lookup.Name, record.Id), First = MaxLines }, cancellationToken);
            var lines = new List<Dictionary<string, object?>>(page.Edges.Count);
            foreach (var edge in page.Edges)
            {
                lines.Add(await WithLookupsAsync(session, edge.Record, language, looked, cancellationToken));
            }

            values[lookup.InverseName!] = lines;
        }

        return values;
    }

    /// <summary>The inverse lists of an entity the caller may read: lookups of other entities that point to it and name their list.</summary>
    private static IEnumerable<(EntityDefinition Child, FieldDefinition Lookup)> InverseLists(CrmSession session, string entity) =>
        from child in session.Metadata.ActiveEntities
        from field in child.ActiveFields
        where field.Type == FieldType.Lookup && field.LookupEntity == entity && field.InverseName is not null
            && session.Permissions.CanRead(child.Name, field.Name)
        select (child, field);

    private async Task<Dictionary<string, object?>> WithLookupsAsync(CrmSession session, RecordData record, string language, Dictionary<(string, Guid), Dictionary<string, object?>?> looked, CancellationToken cancellationToken)
    {
        var values = Fields(record, language);
        foreach (var field in record.Entity.ActiveFields.Where(f => f.Type == FieldType.Lookup && record.IsVisible(f.Name)))
        {
            if (record.Get(field) is not Guid id || field.LookupEntity is not { } target)
            {
                continue;
            }

            if (!looked.TryGetValue((target, id), out var nested))
            {
                nested = await reader.GetAsync(session, target, id, includeDeleted: false, cancellationToken) is { } related ? Fields(related, language) : null;
                looked[(target, id)] = nested;
            }

            values[field.Name] = nested;
        }

        return values;
    }

    private static Dictionary<string, object?> Fields(RecordData record, string language)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = GlobalId.Encode(record.Entity.Name, record.Id),
            ["createdAt"] = LocaleFormat.Date(DateOnly.FromDateTime(record.CreatedAt), language),
        };
        foreach (var field in record.Entity.ActiveFields.Where(f => f.Type is not (FieldType.Lookup or FieldType.Attachment) && record.IsVisible(f.Name)))
        {
            values[field.Name] = Format(field, record.Get(field), language);
        }

        return values;
    }

    private static string? Format(FieldDefinition field, object? value, string language) => value switch
    {
        null => null,
        Money money => LocaleFormat.Money(money.Amount, money.Currency),
        decimal number => LocaleFormat.Number(number),
        int or long => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture).ToString("#,##0", System.Globalization.CultureInfo.InvariantCulture),
        double number => LocaleFormat.Number((decimal)number),
        bool flag => LocaleFormat.Boolean(flag, language),
        DateOnly date => LocaleFormat.Date(date, language),
        DateTime moment => LocaleFormat.Date(DateOnly.FromDateTime(moment), language),
        string text when field.Type == FieldType.Picklist => Label(field, text, language),
        IEnumerable<string> texts => string.Join(", ", texts.Select(t => Label(field, t, language))),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Label(FieldDefinition field, string value, string language) =>
        field.Options?.FirstOrDefault(o => o.Value == value)?.Labels.Get(language) ?? value;
}
