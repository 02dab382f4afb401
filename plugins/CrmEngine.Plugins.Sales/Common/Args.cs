using System.Globalization;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Common;

/// <summary>Reads operation arguments and input objects into the values the sales logic works with.</summary>
internal static class Args
{
    public static IReadOnlyDictionary<string, object?> Input(IOperationContext context, string name = "input") =>
        context.Arguments.GetValueOrDefault(name) as IReadOnlyDictionary<string, object?>
        ?? (context.Arguments.GetValueOrDefault(name) is IDictionary<string, object?> map ? map.ToDictionary(p => p.Key, p => p.Value) : new FieldValues());

    public static string? Text(IReadOnlyDictionary<string, object?> input, string name) =>
        input.GetValueOrDefault(name) is string text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    public static decimal? Decimal(IReadOnlyDictionary<string, object?> input, string name) => input.GetValueOrDefault(name) switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> money => Decimal(money, "amount"),
        IDictionary<string, object?> money => money.TryGetValue("amount", out var amount) ? Values.Convert<decimal?>(amount) : null,
        var value => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    public static DateOnly? Date(IReadOnlyDictionary<string, object?> input, string name) => input.GetValueOrDefault(name) switch
    {
        null => null,
        DateOnly date => date,
        DateTime instant => DateOnly.FromDateTime(instant),
        string text when DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new OperationException(SalesErrors.InvalidInput, $"'{other}' is not a date (yyyy-MM-dd).", name),
    };

    public static DateTime? Instant(IReadOnlyDictionary<string, object?> input, string name) => input.GetValueOrDefault(name) switch
    {
        null => null,
        DateTime instant => instant.ToUniversalTime(),
        DateTimeOffset offset => offset.UtcDateTime,
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out var parsed) => parsed.UtcDateTime,
        var other => throw new OperationException(SalesErrors.InvalidInput, $"'{other}' is not an ISO 8601 instant.", name),
    };

    public static bool Bool(IReadOnlyDictionary<string, object?> input, string name) => input.GetValueOrDefault(name) is true;

    /// <summary>An optional record id argument (global id or UUID).</summary>
    public static Guid? OptionalId(IOperationContext context, string argument, string entity) =>
        context.Arguments.GetValueOrDefault(argument) is string { Length: > 0 } ? context.RecordId(argument, entity) : null;
}
