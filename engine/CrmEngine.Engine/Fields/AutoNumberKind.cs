using System.Globalization;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// A read-only number the pipeline assigns on create from a per-field sequence and a format such
/// as <c>QUO-{000000}</c>; <c>{yyyy}</c>, <c>{yy}</c>, <c>{MM}</c> and <c>{dd}</c> insert the date.
/// </summary>
public sealed partial class AutoNumberKind : FieldKind
{
    [GeneratedRegex(@"\{(0+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex CounterToken();

    [GeneratedRegex(@"\{(yyyy|yy|MM|dd)\}", RegexOptions.CultureInvariant)]
    private static partial Regex DateToken();

    public override FieldType Type => FieldType.AutoNumber;

    protected override Type StorageType => typeof(string);

    public override bool IsWritable => false;

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot)
    {
        var format = field.AutoNumberFormat;
        if (string.IsNullOrWhiteSpace(format) || CounterToken().Count(format) != 1 || format.Length > 60)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"Auto-number '{field.Name}' needs a format with one counter, such as QUO-{{000000}}.", "autoNumberFormat");
        }
        else if (DateToken().Replace(CounterToken().Replace(format, string.Empty), string.Empty).IndexOfAny(['{', '}']) >= 0)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"Auto-number format '{format}' has an unknown token; use {{000000}}, {{yyyy}}, {{yy}}, {{MM}} or {{dd}}.", "autoNumberFormat");
        }
    }

    public override FieldValue Normalize(FieldDefinition field, object input) =>
        LooseConvert.Unwrap(input) is string text ? FieldValue.Ok(text) : Invalid(field, "a string");

    public static string Format(string format, long counter, DateTime utcNow)
    {
        var withCounter = CounterToken().Replace(format, m => counter.ToString(CultureInfo.InvariantCulture).PadLeft(m.Groups[1].Length, '0'));
        return DateToken().Replace(withCounter, m => utcNow.ToString(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
