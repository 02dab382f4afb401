using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>Rules both picklist kinds share: their options and how a value is checked against them.</summary>
public abstract partial class PicklistKindBase : FieldKind
{
    public const int MaxOptionLength = 100;

    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex ColorPattern();

    protected override Type StorageType => typeof(string);

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot)
    {
        var options = field.Options ?? [];
        if (options.Count == 0)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"Picklist '{field.Name}' needs at least one option.", "options");
        }

        foreach (var option in options)
        {
            if (string.IsNullOrWhiteSpace(option.Value) || option.Value.Trim() != option.Value || option.Value.Length > MaxOptionLength || option.Value.Contains('|', StringComparison.Ordinal))
            {
                yield return new CrmError(ErrorCodes.InvalidDefinition, $"Option value '{option.Value}' of '{field.Name}' must be 1 to {MaxOptionLength} characters, without '|' or surrounding spaces.", "options");
            }

            if (option.Color is { } color && !ColorPattern().IsMatch(color))
            {
                yield return new CrmError(ErrorCodes.InvalidDefinition, $"Option '{option.Value}' of '{field.Name}' has color '{color}'; use #RRGGBB.", "options");
            }

            if (option.Labels.IsEmpty)
            {
                yield return new CrmError(ErrorCodes.LabelRequired, $"Option '{option.Value}' of '{field.Name}' needs labels.", "options");
            }
        }

        foreach (var duplicate in options.GroupBy(o => o.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"Option value '{duplicate.Key}' appears twice in '{field.Name}'.", "options");
        }
    }

    protected static FieldValue? CheckOption(FieldDefinition field, string value)
    {
        var option = field.Options?.FirstOrDefault(o => o.Value == value);
        if (option is null || !option.Active)
        {
            var allowed = string.Join(", ", (field.Options ?? []).Where(o => o.Active).OrderBy(o => o.Order).Select(o => o.Value));
            return FieldValue.Fail(ErrorCodes.InvalidOption, $"'{value}' is not an option of '{field.Name}'. Allowed: {allowed}.", field.Name);
        }

        return null;
    }
}

public sealed class PicklistKind : PicklistKindBase
{
    public override FieldType Type => FieldType.Picklist;

    public override ApiFilterType FilterType => ApiFilterType.Picklist;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [.. Textual, FieldType.MultiPicklist];

    public override FieldValue Normalize(FieldDefinition field, object input)
    {
        if (LooseConvert.Unwrap(input) is not string value)
        {
            return Invalid(field, "one option value as a string");
        }

        return CheckOption(field, value) ?? FieldValue.Ok(value);
    }
}

/// <summary>
/// Several options in one text column, encoded as <c>|a|b|</c> so "has option x" is a substring
/// test both stores can run.
/// </summary>
public sealed class MultiPicklistKind : PicklistKindBase
{
    public override FieldType Type => FieldType.MultiPicklist;

    public override ApiValueType ApiType => ApiValueType.StringList;

    public override ApiFilterType FilterType => ApiFilterType.MultiPicklist;

    // One column holds the set: it neither orders nor groups as a whole.
    public override bool IsSortable => false;

    public override bool SupportsUnique => false;

    public static string Encode(IEnumerable<string> values) => ListValues.Encode(values);

    public static IReadOnlyList<string> Decode(string stored) => ListValues.Decode(stored);

    public override FieldValue Normalize(FieldDefinition field, object input)
    {
        var values = new List<string>();
        foreach (var item in ListValues.Items(input))
        {
            if (item is not string value)
            {
                return Invalid(field, "a list of option values");
            }

            if (CheckOption(field, value) is { } error)
            {
                return error;
            }

            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }

        return FieldValue.Ok(values);
    }

    public override bool IsEmpty(object? value) => ListValues.IsEmpty(value);

    public override bool AreEqual(object? a, object? b) => ListValues.AreEqual(a, b);

    public override void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) => ListValues.Write(field, value, row);

    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) => ListValues.Read(field, row);

    public override string? FormatText(object? value) => ListValues.FormatText(value);
}
