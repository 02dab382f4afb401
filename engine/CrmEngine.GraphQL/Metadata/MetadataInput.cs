using System.Text.Json;
using CrmEngine.Engine.Metadata;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Metadata;

/// <summary>Reads the admin inputs (CreateEntityInput, FieldInput, ...) into engine definitions.</summary>
public static class MetadataInput
{
    public static EntityDefinition Entity(IDictionary<string, object?> input)
    {
        var name = (string)input["name"]!;
        return new EntityDefinition
        {
            Name = name,
            PluralName = Value(input, "pluralName") as string ?? Naming.Pluralize(name),
            Labels = Labels(Value(input, "labels")) ?? LocalizedText.Empty,
            PluralLabels = Labels(Value(input, "pluralLabels")),
            Descriptions = Labels(Value(input, "descriptions")),
            Fields = (Value(input, "fields") as IEnumerable<object?> ?? []).Select(f => Field((IDictionary<string, object?>)f!)).ToList(),
            Indexes = Indexes(Value(input, "indexes")) ?? [],
        };
    }

    public static EntityUpdate EntityUpdate(IDictionary<string, object?> input) => new()
    {
        Labels = Patch(input, "labels", v => Labels(v) ?? LocalizedText.Empty),
        PluralLabels = Patch(input, "pluralLabels", Labels),
        Descriptions = Patch(input, "descriptions", Labels),
        Indexes = Patch<IReadOnlyList<IndexDefinition>>(input, "indexes", v => Indexes(v) ?? []),
    };

    public static FieldDefinition Field(IDictionary<string, object?> input) => new()
    {
        Name = (string)input["name"]!,
        Type = (CrmFieldType)input["type"]!,
        Labels = Labels(Value(input, "labels")) ?? LocalizedText.Empty,
        Descriptions = Labels(Value(input, "descriptions")),
        Required = Value(input, "required") as bool? ?? false,
        Unique = Value(input, "unique") as bool? ?? false,
        Indexed = Value(input, "indexed") as bool? ?? false,
        Searchable = Value(input, "searchable") as bool? ?? false,
        DefaultValue = Value(input, "defaultValue") as string,
        MaxLength = Value(input, "maxLength") as int?,
        Min = Value(input, "min") as decimal?,
        Max = Value(input, "max") as decimal?,
        Pattern = Value(input, "pattern") as string,
        Scale = Value(input, "scale") as int?,
        Currency = (Value(input, "currency") as string)?.ToUpperInvariant(),
        Options = Options(Value(input, "options")),
        LookupEntity = Value(input, "lookupEntity") as string,
        InverseName = Value(input, "inverseName") as string,
        InverseLabels = Labels(Value(input, "inverseLabels")),
        AutoNumberFormat = Value(input, "autoNumberFormat") as string,
        Rollup = Value(input, "rollup") is IDictionary<string, object?> rollup ? Rollup(rollup) : null,
        Formula = Value(input, "formula") is IDictionary<string, object?> formula ? new FormulaDefinition { Expression = (string)formula["expression"]! } : null,
    };

    private static RollupDefinition Rollup(IDictionary<string, object?> input) => new()
    {
        Function = (RollupFunction)input["function"]!,
        Entity = (string)input["entity"]!,
        Lookup = (string)input["lookup"]!,
        Field = Value(input, "field") as string,
        Filter = Value(input, "filter") is { } filter ? JsonSerializer.Serialize(filter) : null,
    };

    public static FieldUpdate FieldUpdate(IDictionary<string, object?> input) => new()
    {
        Type = Patch(input, "type", v => (CrmFieldType)v!),
        Labels = Patch(input, "labels", v => Labels(v) ?? LocalizedText.Empty),
        Descriptions = Patch(input, "descriptions", Labels),
        Required = Patch(input, "required", v => v as bool? ?? false),
        Unique = Patch(input, "unique", v => v as bool? ?? false),
        Indexed = Patch(input, "indexed", v => v as bool? ?? false),
        Searchable = Patch(input, "searchable", v => v as bool? ?? false),
        DefaultValue = Patch(input, "defaultValue", v => v as string),
        MaxLength = Patch(input, "maxLength", v => v as int?),
        Min = Patch(input, "min", v => v as decimal?),
        Max = Patch(input, "max", v => v as decimal?),
        Pattern = Patch(input, "pattern", v => v as string),
        Scale = Patch(input, "scale", v => v as int?),
        Currency = Patch(input, "currency", v => (v as string)?.ToUpperInvariant()),
        Options = Patch(input, "options", Options),
        InverseName = Patch(input, "inverseName", v => v as string),
        InverseLabels = Patch(input, "inverseLabels", Labels),
        AutoNumberFormat = Patch(input, "autoNumberFormat", v => v as string),
    };

    public static LocalizedText? Labels(object? value) =>
        value is IEnumerable<object?> items
            ? new LocalizedText(items.OfType<IDictionary<string, object?>>().Select(i => new KeyValuePair<string, string>((string)i["locale"]!, (string)i["text"]!)))
            : null;

    private static IReadOnlyList<PicklistOption>? Options(object? value) =>
        (value as IEnumerable<object?>)?.OfType<IDictionary<string, object?>>().Select((o, index) => new PicklistOption
        {
            Value = (string)o["value"]!,
            Labels = Labels(Value(o, "labels")) ?? LocalizedText.Empty,
            Color = Value(o, "color") as string,
            Order = Value(o, "order") as int? ?? index,
            Active = Value(o, "active") as bool? ?? true,
        }).ToList();

    private static object? Value(IDictionary<string, object?> input, string key) => input.TryGetValue(key, out var value) ? value : null;

    private static List<IndexDefinition>? Indexes(object? value) =>
        (value as IEnumerable<object?>)?.Select(i => new IndexDefinition((i as IEnumerable<object?> ?? []).Select(f => (string)f!).ToList())).ToList();

    private static Patch<T> Patch<T>(IDictionary<string, object?> input, string key, Func<object?, T> read) =>
        input.TryGetValue(key, out var value) ? new Patch<T>(true, read(value)) : default;
}
