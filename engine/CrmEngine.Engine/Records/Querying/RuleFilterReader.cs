using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Reads the filters scripts pass to crm.find (and scheduled rules store) into the engine's
/// <see cref="Condition"/> tree. The shape is the GraphQL filter's, with field API names:
/// <c>{ status: { eq: "active" }, or: [{ score: { isNull: true } }, ...] }</c>; a bare value means
/// <c>eq</c> (<c>{ status: "active" }</c>). Operator names are <see cref="ComparisonOperator"/>'s members
/// in camelCase, so operators the query engine adds there are understood here without change.
/// </summary>
public static class RuleFilterReader
{
    private static readonly Dictionary<string, ComparisonOperator> Operators = Enum.GetValues<ComparisonOperator>()
        .ToDictionary(o => char.ToLowerInvariant(o.ToString()[0]) + o.ToString()[1..], o => o, StringComparer.Ordinal);

    /// <summary>The operator names understood, for messages and docs.</summary>
    public static IReadOnlyCollection<string> OperatorNames => Operators.Keys;

    /// <summary>A stored filter (JSON) as the CLR tree <see cref="Read(EntityDefinition, object?)"/> takes (dictionaries, lists, strings, numbers).</summary>
    public static object? Parse(string? json) => json is null ? null : FromJson(JsonSerializer.Deserialize<JsonElement>(json));

    /// <summary>
    /// What is wrong with a filter given as JSON for <paramref name="entity"/> (field <c>filter</c>),
    /// found by building its query expression, which checks every field and operand; empty when it is fine.
    /// </summary>
    public static IEnumerable<CrmError> Check(CrmSession session, EntityDefinition entity, string json, DateTime now)
    {
        try
        {
            var filter = Read(entity, Parse(json));
            if (filter is not null)
            {
                using var context = session.CreateContext();
                PredicateBuilder.Build(new QueryContext(session.Metadata, context, now, TimeZoneInfo.Utc), entity, filter);
            }

            return [];
        }
        catch (JsonException e)
        {
            return [new CrmError(ErrorCodes.InvalidInput, $"The filter is not JSON: {e.Message}", "filter")];
        }
        catch (CrmException e)
        {
            return e.Errors.Select(x => x with { Field = "filter", Message = "In the filter: " + x.Message });
        }
    }

    public static Condition? Read(EntityDefinition entity, object? filter) => filter switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> map => Read(entity, map, 0),
        _ => throw Invalid("A filter is an object such as { status: { eq: 'active' } }."),
    };

    private static Condition Read(EntityDefinition entity, IReadOnlyDictionary<string, object?> map, int depth)
    {
        if (depth > PredicateBuilder.MaxDepth)
        {
            throw Invalid($"Filters may nest at most {PredicateBuilder.MaxDepth} levels deep.");
        }

        var items = new List<Condition>();
        foreach (var (key, value) in map)
        {
            switch (key)
            {
                case "and":
                    items.Add(new Condition.AllOf(Many(entity, value, depth)));
                    break;
                case "or":
                    items.Add(new Condition.AnyOf(Many(entity, value, depth)));
                    break;
                case "not":
                    items.Add(new Condition.Negation(value is IReadOnlyDictionary<string, object?> inner ? Read(entity, inner, depth + 1) : throw Invalid("'not' takes a filter object.")));
                    break;
                default:
                    items.AddRange(Comparisons(entity, key, value));
                    break;
            }
        }

        return items.Count == 1 ? items[0] : new Condition.AllOf(items);
    }

    private static List<Condition> Many(EntityDefinition entity, object? value, int depth) =>
        value is IEnumerable<object?> list && value is not string
            ? list.Select(v => v is IReadOnlyDictionary<string, object?> m ? Read(entity, m, depth + 1) : throw Invalid("'and' and 'or' take a list of filter objects.")).ToList()
            : throw Invalid("'and' and 'or' take a list of filter objects.");

    private static IEnumerable<Condition> Comparisons(EntityDefinition entity, string field, object? value)
    {
        if (!SystemFields.All.Contains(field) && entity.FindField(field) is null)
        {
            throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{field}' to filter on.", field);
        }

        if (value is not IReadOnlyDictionary<string, object?> operators || operators.Count == 0 || !operators.Keys.All(Operators.ContainsKey))
        {
            // A bare value (or a money-like object that is not an operator set) means equality.
            return [value is null ? new Condition.Comparison(field, ComparisonOperator.IsNull, true) : new Condition.Comparison(field, ComparisonOperator.Eq, Operand(value))];
        }

        return operators.Select(o => (Condition)new Condition.Comparison(field, Operators[o.Key], Operand(o.Value)));
    }

    /// <summary>Ids may come as UUIDs or as the API's global ids.</summary>
    private static object? Operand(object? value) => value switch
    {
        string s when !Guid.TryParse(s, out _) && GlobalId.TryDecode(s, out _, out var id) => id,
        IEnumerable<object?> list when value is not string => list.Select(Operand).ToList(),
        _ => value,
    };

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetInt64(out var l) ? l : json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static CrmException Invalid(string message) => new(ErrorCodes.InvalidInput, message, "filter");
}
