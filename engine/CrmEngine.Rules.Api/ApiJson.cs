using System.Collections;
using System.Globalization;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Rules.Api;

/// <summary>Engine values as JSON-friendly values for the JSON scalar: money as { amount, currency }, dates as ISO text, ids as UUID text.</summary>
internal static class ApiJson
{
    public static object? From(object? value) => value switch
    {
        null => null,
        string or bool or long or int or double or decimal => value,
        Guid id => id.ToString(),
        DateTime instant => DateTime.SpecifyKind(instant, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Money money => new Dictionary<string, object?> { ["amount"] = money.Amount, ["currency"] = money.Currency },
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => From(p.Value)),
        IEnumerable list => list.Cast<object?>().Select(From).ToList(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
