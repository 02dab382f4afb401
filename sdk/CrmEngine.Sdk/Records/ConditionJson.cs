using System.Globalization;
using System.Text.Json;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Sdk.Records;

/// <summary>
/// Reads a filter written in the engine's filter language, as a GraphQL <c>filter</c> argument takes
/// it but in JSON (<c>{"industry": {"eq": "retail"}, "lastOrderOn": {"relative": {"period":
/// "LAST_N_DAYS", "days": 365}}, "account": {"tags": {"has": "vip"}}}</c>), into a
/// <see cref="Condition"/>: field operators, a lookup's record's fields (Through), and <c>and</c>,
/// <c>or</c>, <c>not</c>. The engine then checks fields and operators when the condition is used,
/// exactly as it checks a GraphQL filter. Inverse lists (<c>some</c>, <c>none</c>, <c>every</c>) are
/// not read yet. Lets a module take a filter as text (an argument, a stored segment) without its own
/// parser. Available from SDK 0.3.1.
/// </summary>
public static class ConditionJson
{
    /// <summary>The condition the JSON filter says, or null for no filter (null or blank text).</summary>
    /// <param name="json">The filter as JSON text.</param>
    /// <param name="errorCode">The code of the <see cref="OperationException"/> a malformed filter is refused with (the module's invalid-input code).</param>
    /// <param name="field">The argument or field the filter came from, named in the refusal.</param>
    /// <exception cref="OperationException">The text is not JSON or not a filter.</exception>
    public static Condition? Parse(string? json, string errorCode, string field) => new Reader(errorCode, field).Parse(json);

    private sealed class Reader(string errorCode, string argument)
    {
        private static readonly Dictionary<string, RelativePeriod> Periods = Enum.GetValues<RelativePeriod>()
            .ToDictionary(p => string.Concat(p.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant());

        public Condition? Parse(string? json)
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                return Read(document.RootElement, "");
            }
            catch (JsonException e)
            {
                throw Invalid($"The filter is not JSON: {e.Message}");
            }
        }

        private Condition Read(JsonElement filter, string path)
        {
            if (filter.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{Where(path)}a filter is a JSON object of fields.");
            }

            var parts = new List<Condition>();
            foreach (var property in filter.EnumerateObject())
            {
                parts.Add(property.Name switch
                {
                    "and" => Condition.All(List(property.Value, path + "and")),
                    "or" => Condition.Any(List(property.Value, path + "or")),
                    "not" => Read(property.Value, path + "not.").Not(),
                    _ => FieldCondition(property.Name, property.Value, path),
                });
            }

            return parts.Count == 1 ? parts[0] : Condition.All(parts.ToArray());
        }

        private Condition[] List(JsonElement value, string path) => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => Read(item, path + ".")).ToArray()
            : throw Invalid($"'{path}' takes a list of filters.");

        private Condition FieldCondition(string field, JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{Where(path)}'{field}' takes operators, such as {{\"eq\": ...}}.");
            }

            var operators = value.EnumerateObject().ToList();
            if (operators.Count > 0 && operators.All(o => IsOperator(o.Name)))
            {
                var comparisons = operators.Select(o => Comparison(field, o.Name, o.Value, path)).ToArray();
                return comparisons.Length == 1 ? comparisons[0] : Condition.All(comparisons);
            }

            if (operators.Any(o => o.Name is "some" or "none" or "every"))
            {
                throw Invalid($"{Where(path)}'{field}': filters on inverse lists (some, none, every) are not supported in segments yet.");
            }

            return Condition.Through(field, Read(value, path + field + "."));
        }

        private static bool IsOperator(string name) => name is "eq" or "ne" or "in" or "notIn" or "isNull" or "lt" or "lte" or "gt" or "gte" or "between"
            or "contains" or "startsWith" or "endsWith" or "relative" or "has" or "hasAny" or "hasAll";

        private Condition Comparison(string field, string op, JsonElement value, string path) => op switch
        {
            "eq" => Condition.Eq(field, Scalar(value)),
            "ne" => Condition.Ne(field, Scalar(value)),
            "in" => Condition.In(field, Values(value, field, path)),
            "notIn" => Condition.NotIn(field, Values(value, field, path)),
            "isNull" => value.ValueKind switch
            {
                JsonValueKind.True => Condition.IsNull(field),
                JsonValueKind.False => Condition.IsNotNull(field),
                _ => throw Invalid($"{Where(path)}'{field}.isNull' takes true or false."),
            },
            "lt" => Condition.Lt(field, Required(value, field, path)),
            "lte" => Condition.Lte(field, Required(value, field, path)),
            "gt" => Condition.Gt(field, Required(value, field, path)),
            "gte" => Condition.Gte(field, Required(value, field, path)),
            "between" => Values(value, field, path) is [{ } low, { } high] ? Condition.Between(field, low, high) : throw Invalid($"{Where(path)}'{field}.between' takes [low, high]."),
            "contains" => Condition.Contains(field, Text(value, field, path)),
            "startsWith" => Condition.StartsWith(field, Text(value, field, path)),
            "endsWith" => Condition.EndsWith(field, Text(value, field, path)),
            "has" => Condition.Has(field, Text(value, field, path)),
            "hasAny" => Condition.HasAny(field, Values(value, field, path).Select(v => v as string ?? string.Empty)),
            "hasAll" => Condition.HasAll(field, Values(value, field, path).Select(v => v as string ?? string.Empty)),
            _ => Condition.Within(field, Relative(value, field, path)),
        };

        private RelativeDate Relative(JsonElement value, string field, string path)
        {
            var period = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("period", out var p) && p.GetString() is { } name && Periods.TryGetValue(name, out var known)
                ? known
                : throw Invalid($"{Where(path)}'{field}.relative' takes {{\"period\": one of {string.Join(", ", Periods.Keys)}, \"days\": n, \"timeZone\": id}}.");
            int? days = value.TryGetProperty("days", out var d) && d.TryGetInt32(out var n) ? n : null;
            var zone = value.TryGetProperty("timeZone", out var z) ? z.GetString() : null;
            return new RelativeDate(period, days, zone);
        }

        private List<object?> Values(JsonElement value, string field, string path) => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(Scalar).ToList()
            : throw Invalid($"{Where(path)}'{field}' takes a list here.");

        private object Required(JsonElement value, string field, string path) => Scalar(value) ?? throw Invalid($"{Where(path)}'{field}' needs a value.");

        private string Text(JsonElement value, string field, string path) => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"{Where(path)}'{field}' takes text here.");

        private object? Scalar(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
            JsonValueKind.Number => decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw Invalid("Filter values are text, numbers, booleans or null."),
        };

        private static string Where(string path) => path.Length == 0 ? string.Empty : $"At '{path.TrimEnd('.')}': ";

        private OperationException Invalid(string message) => new(errorCode, message, argument);
    }
}
