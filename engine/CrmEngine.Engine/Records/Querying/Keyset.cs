using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Keyset paging over a <see cref="SortPlan"/>: the ORDER BY, the "rows after this cursor" predicate
/// (a lexicographic comparison of the keys that knows where empty values go), and the cursor
/// values themselves. No OFFSET: a page costs the same however deep it is, and rows inserted
/// meanwhile never shift or repeat records across pages.
/// </summary>
internal static class Keyset
{
    private static readonly MethodInfo OrderByMethod = QueryableMethod(nameof(Queryable.OrderBy));
    private static readonly MethodInfo OrderByDescendingMethod = QueryableMethod(nameof(Queryable.OrderByDescending));
    private static readonly MethodInfo ThenByMethod = QueryableMethod(nameof(Queryable.ThenBy));
    private static readonly MethodInfo ThenByDescendingMethod = QueryableMethod(nameof(Queryable.ThenByDescending));

    /// <summary>Orders by the keys. Empty values are placed explicitly only where the store would place them otherwise.</summary>
    public static IQueryable<Dictionary<string, object>> Order(IQueryable<Dictionary<string, object>> query, IReadOnlyList<PlannedKey> keys, bool nullsSortSmallest)
    {
        var first = true;
        foreach (var key in keys)
        {
            var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
            var value = key.Build(row);
            var nativeNullsFirst = nullsSortSmallest == (key.Direction == SortDirection.Asc);
            if (SortPlan.IsNullable(key.Type) && key.NullsFirst != nativeNullsFirst)
            {
                var placement = Expression.Condition(PredicateBuilder.IsNull(value), Expression.Constant(key.NullsFirst ? 0 : 1), Expression.Constant(key.NullsFirst ? 1 : 0));
                query = Apply(query, Expression.Lambda(placement, row), SortDirection.Asc, first);
                first = false;
            }

            query = Apply(query, Expression.Lambda(value, row), key.Direction, first);
            first = false;
        }

        return query;
    }

    /// <summary>Rows strictly after <paramref name="values"/> in the order of <paramref name="keys"/>.</summary>
    public static Expression<Func<Dictionary<string, object>, bool>> After(IReadOnlyList<PlannedKey> keys, IReadOnlyList<object?> values)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var built = keys.Select(k => k.Build(row)).ToList();
        Expression? any = null;
        Expression equalSoFar = Expression.Constant(true);
        for (var i = 0; i < keys.Count; i++)
        {
            var beyond = Beyond(keys[i], built[i], values[i]);
            var branch = i == 0 ? beyond : Expression.AndAlso(equalSoFar, beyond);
            any = any is null ? branch : Expression.OrElse(any, branch);
            var equal = values[i] is null ? PredicateBuilder.IsNull(built[i]) : Expression.Equal(built[i], PredicateBuilder.Parameter(values[i], keys[i].Type));
            equalSoFar = i == 0 ? equal : Expression.AndAlso(equalSoFar, equal);
        }

        // A plain range on the first key lets the store seek in an index instead of scanning to the cursor.
        if (keys.Count > 1 && values[0] is not null && !(SortPlan.IsNullable(keys[0].Type) && !keys[0].NullsFirst))
        {
            var bound = PredicateBuilder.Ordered(built[0], PredicateBuilder.Parameter(values[0], keys[0].Type),
                keys[0].Direction == SortDirection.Asc ? ExpressionType.GreaterThanOrEqual : ExpressionType.LessThanOrEqual);
            any = Expression.AndAlso(bound, any!);
        }

        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(any!, row);
    }

    /// <summary>The key's value lies after <paramref name="value"/> in its order.</summary>
    private static Expression Beyond(PlannedKey key, Expression column, object? value)
    {
        var nullable = SortPlan.IsNullable(key.Type);
        if (value is null)
        {
            // Empty values sit together at one end: after them come the others only if they go first.
            return key.NullsFirst ? Expression.Not(PredicateBuilder.IsNull(column)) : Expression.Constant(false);
        }

        var compared = PredicateBuilder.Ordered(column, PredicateBuilder.Parameter(value, key.Type),
            key.Direction == SortDirection.Asc ? ExpressionType.GreaterThan : ExpressionType.LessThan);
        return nullable && !key.NullsFirst ? Expression.OrElse(compared, PredicateBuilder.IsNull(column)) : compared;
    }

    /// <summary>A key value as it travels in a cursor: JSON-friendly and exact.</summary>
    public static object? Encode(object? value) => value switch
    {
        null => null,
        DateTime dt => dt.Ticks,
        DateOnly d => d.DayNumber,
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        Guid g => g.ToString("N"),
        _ => value,
    };

    /// <summary>A cursor value back in the key's CLR type; anything else means the cursor is not for this query.</summary>
    public static object? Decode(JsonElement element, Type type)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return SortPlan.IsNullable(type) ? null : throw Invalid();
        }

        var core = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            return core switch
            {
                _ when core == typeof(string) && element.ValueKind == JsonValueKind.String => element.GetString(),
                _ when core == typeof(long) => element.GetInt64(),
                _ when core == typeof(bool) => element.GetBoolean(),
                _ when core == typeof(DateTime) => new DateTime(element.GetInt64(), DateTimeKind.Utc),
                _ when core == typeof(DateOnly) => DateOnly.FromDayNumber(element.GetInt32()),
                _ when core == typeof(decimal) => decimal.Parse(element.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
                _ when core == typeof(Guid) => Guid.ParseExact(element.GetString()!, "N"),
                _ => throw Invalid(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            throw Invalid();
        }
    }

    public static CrmException Invalid() => new(ErrorCodes.InvalidCursor, "The cursor is not valid for this query: use a cursor returned by the same query, unchanged.", "after");

    private static IQueryable<Dictionary<string, object>> Apply(IQueryable<Dictionary<string, object>> query, LambdaExpression key, SortDirection direction, bool first)
    {
        var method = (first, direction) switch
        {
            (true, SortDirection.Asc) => OrderByMethod,
            (true, SortDirection.Desc) => OrderByDescendingMethod,
            (false, SortDirection.Asc) => ThenByMethod,
            _ => ThenByDescendingMethod,
        };
        var call = Expression.Call(Closed.GetOrAdd((method, key.ReturnType), static k => k.Method.MakeGenericMethod(typeof(Dictionary<string, object>), k.Key)), query.Expression, Expression.Quote(key));
        return query.Provider.CreateQuery<Dictionary<string, object>>(call);
    }

    /// <summary>The ordering methods closed over each key type, made once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(MethodInfo Method, Type Key), MethodInfo> Closed = new();

    private static MethodInfo QueryableMethod(string name) =>
        typeof(Queryable).GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 2);
}
