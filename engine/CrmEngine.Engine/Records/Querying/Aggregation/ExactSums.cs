using System.Globalization;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;

namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>
/// Sums and averages the store computes exactly, handed back as one text value per aggregate:
/// <list type="bullet">
/// <item>decimals and money: <c>"sum"</c>, in decimal arithmetic (numeric on PostgreSQL, the exact
/// <c>ef_sum</c> on SQLite: <c>SqliteExactSum</c> in CrmEngine.Sqlite);</item>
/// <item>integers: <c>"high low"</c>, the sums of value / 2^32 and value % 2^32, which either store
/// adds natively, at full speed, without overflowing below 2^31 values per group; joined here as
/// high × 2^32 + low (a plain SUM of two Int64 maxima overflows);</item>
/// <item>averages add <c>" count"</c>, the number of values, and are divided here, so both stores round alike.</item>
/// </list>
/// </summary>
internal static class ExactSums
{
    private const long Half = 1L << 32;

    private static readonly MethodInfo Concat = typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string), typeof(string)])!;

    public static Expression Sum(Expression group, Expression column, ParameterExpression row) =>
        Joined(Parts(group, column, row));

    public static Expression Average(Expression group, Expression column, ParameterExpression row) =>
        Joined([.. Parts(group, column, row), Text(Call(nameof(Enumerable.LongCount), typeof(bool), group, Expression.Lambda(Expression.NotEqual(column, Expression.Constant(null, column.Type)), row)))]);

    public static ExactDecimal ReadSum(string text, Type column) => Total(text.Split(' '), column);

    public static decimal? ReadAverage(string text, Type column)
    {
        var parts = text.Split(' ');
        var count = long.Parse(parts[^1], CultureInfo.InvariantCulture);
        return count == 0 ? null : Total(parts[..^1], column).DivideToDecimal(count);
    }

    private static bool IsInteger(Type column) => (Nullable.GetUnderlyingType(column) ?? column) == typeof(long);

    private static IReadOnlyList<Expression> Parts(Expression group, Expression column, ParameterExpression row)
    {
        if (!IsInteger(column.Type))
        {
            return [Text(Call(nameof(Enumerable.Sum), typeof(decimal), group, Expression.Lambda(Expression.Convert(column, typeof(decimal)), row)))];
        }

        var half = Expression.Constant(Half, column.Type);
        return
        [
            Text(Call(nameof(Enumerable.Sum), typeof(long), group, Expression.Lambda(Expression.Convert(Expression.Divide(column, half), typeof(long)), row))),
            Text(Call(nameof(Enumerable.Sum), typeof(long), group, Expression.Lambda(Expression.Convert(Expression.Modulo(column, half), typeof(long)), row))),
        ];
    }

    private static ExactDecimal Total(string[] parts, Type column) => IsInteger(column)
        ? ExactDecimal.From((BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) * Half) + BigInteger.Parse(parts[1], CultureInfo.InvariantCulture))
        : ExactDecimal.Parse(parts[0]);

    private static Expression Joined(IReadOnlyList<Expression> parts) => parts.Aggregate((left, right) => Expression.Call(Concat, left, Expression.Constant(" "), right));

    private static MethodCallExpression Text(Expression value) => Expression.Call(value, nameof(ToString), null);

    /// <summary>Enumerable.Sum or LongCount over the group's rows with a selector returning <paramref name="result"/>.</summary>
    private static MethodCallExpression Call(string name, Type result, Expression group, LambdaExpression selector) =>
        Expression.Call(typeof(Enumerable).GetMethods()
            .Single(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == 2
                && m.GetParameters()[1].ParameterType.GetGenericArguments()[1] == result)
            .MakeGenericMethod(typeof(Dictionary<string, object>)), group, selector);
}
