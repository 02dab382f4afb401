using System.Globalization;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>Reads operation arguments and input objects; a value of the wrong shape is INVALID_INPUT on its field.</summary>
internal static class Args
{
    public static IReadOnlyDictionary<string, object?> Input(IOperationContext context, string name = "input") => context.Arguments.GetValueOrDefault(name) switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        IDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => p.Value),
        _ => new FieldValues(),
    };

    public static string? Text(IReadOnlyDictionary<string, object?> input, string name) =>
        input.GetValueOrDefault(name) is string text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    public static decimal? Decimal(IReadOnlyDictionary<string, object?> input, string name) => input.GetValueOrDefault(name) switch
    {
        null => null,
        decimal value => value,
        var value => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    public static DateOnly? Date(IReadOnlyDictionary<string, object?> input, string name) => input.GetValueOrDefault(name) switch
    {
        null => null,
        DateOnly date => date,
        DateTime instant => DateOnly.FromDateTime(instant),
        string text when DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new OperationException(PartnerErrors.InvalidInput, $"'{other}' is not a date (yyyy-MM-dd).", name),
    };

    public static IReadOnlyList<string>? Texts(IReadOnlyDictionary<string, object?> input, string name) =>
        input.GetValueOrDefault(name) is System.Collections.IEnumerable items and not string ? items.Cast<object?>().Select(i => System.Convert.ToString(i, CultureInfo.InvariantCulture)!).ToList() : null;
}
