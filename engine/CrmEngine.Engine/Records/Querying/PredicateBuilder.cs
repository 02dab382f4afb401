using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Turns a <see cref="Condition"/> into <c>Expression&lt;Func&lt;row, bool&gt;&gt;</c> over EF.Property
/// calls. Operands become parameters; conditions through lookups and inverse lists become
/// correlated EXISTS subqueries, so the same tree works on every provider.
/// </summary>
public static class PredicateBuilder
{
    /// <summary>How deep and/or/not, lookups and inverse lists may nest.</summary>
    public const int MaxDepth = 10;

    /// <summary>The most values an in/notIn/hasAny/hasAll list may hold.</summary>
    public const int MaxListLength = 1000;

    private static readonly MethodInfo EfProperty = typeof(EF).GetMethod(nameof(EF.Property))!;
    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);
    private static readonly MethodInfo QueryableAny = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.Any) && m.GetParameters().Length == 2);
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo StringEndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo StringToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo GuidCompareTo = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;

    public static Expression<Func<Dictionary<string, object>, bool>> Build(QueryContext query, EntityDefinition entity, Condition filter)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(Visit(query, entity, filter, row, 0), row);
    }

    /// <summary>The body of a predicate on <paramref name="row"/>, for callers that combine it with more.</summary>
    public static Expression Body(QueryContext query, EntityDefinition entity, Condition filter, ParameterExpression row) => Visit(query, entity, filter, row, 0);

    /// <summary><c>EF.Property&lt;T&gt;(row, column)</c>.</summary>
    public static Expression Column(Expression row, string column, Type clrType) =>
        Expression.Call(PropertyMethods.GetOrAdd(clrType, static t => EfProperty.MakeGenericMethod(t)), row, Expression.Constant(column));

    /// <summary>EF.Property&lt;T&gt; per column type: MakeGenericMethod is dear, and every query names a dozen columns.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, MethodInfo> PropertyMethods = new();

    /// <summary>A value EF will send as a parameter.</summary>
    public static Expression Parameter(object? value, Type type)
    {
        var holder = HolderFactories.GetOrAdd(type, CreateHolderFactory)(value);
        return Expression.Property(Expression.Constant(holder), nameof(ValueHolder<object>.Value));
    }

    /// <summary>Compiled constructors of <see cref="ValueHolder{T}"/> per type: every operand of every query makes one.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<object?, object>> HolderFactories = new();

    private static Func<object?, object> CreateHolderFactory(Type type)
    {
        var value = Expression.Parameter(typeof(object), "value");
        var holderType = typeof(ValueHolder<>).MakeGenericType(type);
        var create = Expression.New(holderType.GetConstructor([type])!, Expression.Convert(value, type));
        return Expression.Lambda<Func<object?, object>>(create, value).Compile();
    }

    public static Expression<Func<Dictionary<string, object>, bool>> ColumnEquals(string column, Type clrType, object? value)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(
            Expression.Equal(Column(row, column, clrType), Parameter(value, clrType)), row);
    }

    /// <summary>The id column is one of <paramref name="ids"/>.</summary>
    public static Expression<Func<Dictionary<string, object>, bool>> IdIn(IReadOnlyCollection<Guid> ids) => ColumnIn(RecordColumns.Id, ids.Distinct().ToList());

    /// <summary>The column's value is one of <paramref name="values"/>.</summary>
    public static Expression<Func<Dictionary<string, object>, bool>> ColumnIn<T>(string column, List<T> values)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(In(Column(row, column, typeof(T)), values), row);
    }

    /// <summary><c>values.Contains(value)</c>, the list sent as one parameter.</summary>
    public static Expression In<T>(Expression value, List<T> values) =>
        Expression.Call(EnumerableContains.MakeGenericMethod(typeof(T)), Parameter(values, typeof(List<T>)), value);

    /// <summary><c>a op b</c> for any orderable column type (strings and ids through Compare, booleans by false &lt; true).</summary>
    public static Expression Ordered(Expression left, Expression right, ExpressionType comparison)
    {
        var type = Nullable.GetUnderlyingType(left.Type) ?? left.Type;
        if (type == typeof(string))
        {
            return Expression.MakeBinary(comparison, Expression.Call(StringCompare, left, right), Expression.Constant(0));
        }

        if (type == typeof(Guid))
        {
            return Expression.MakeBinary(comparison, Expression.Call(Strip(left), GuidCompareTo, Strip(right)), Expression.Constant(0));
        }

        if (type == typeof(bool))
        {
            // false < true: a > b only when a is true and b false.
            var (high, low) = comparison is ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual ? (left, right) : (right, left);
            var strict = Expression.AndAlso(IsTrue(high), Expression.Not(IsTrue(low)));
            return comparison is ExpressionType.GreaterThan or ExpressionType.LessThan ? strict : Expression.OrElse(strict, Expression.Equal(left, right));
        }

        return Expression.MakeBinary(comparison, left, right);
    }

    public static Expression IsNull(Expression value) =>
        value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
            ? Expression.Constant(false)
            : Expression.Equal(value, Expression.Constant(null, value.Type));

    private static Expression IsTrue(Expression value) =>
        value.Type == typeof(bool) ? value : Expression.Equal(value, Expression.Constant(true, value.Type));

    private static Expression Strip(Expression value) => Nullable.GetUnderlyingType(value.Type) is null ? value : Expression.Property(value, "Value");

    private static Expression Visit(QueryContext query, EntityDefinition entity, Condition filter, Expression row, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CrmException(ErrorCodes.FilterTooDeep, $"Filters may nest at most {MaxDepth} levels deep (and/or/not, lookups and lists each count).", "filter");
        }

        return filter switch
        {
            Condition.AllOf and => and.Conditions.Count == 0 ? Expression.Constant(true) : and.Conditions.Select(f => Visit(query, entity, f, row, depth + 1)).Aggregate(Expression.AndAlso),
            Condition.AnyOf or => or.Conditions.Count == 0 ? Expression.Constant(false) : or.Conditions.Select(f => Visit(query, entity, f, row, depth + 1)).Aggregate(Expression.OrElse),
            Condition.Negation not => Expression.Not(Visit(query, entity, not.Inner, row, depth + 1)),
            Condition.Comparison field => Compare(query, query.Column(entity, field.Field), field, row),
            Condition.LookupMatch lookup => ThroughLookup(query, entity, lookup, row, depth),
            Condition.RelatedRecords related => ThroughInverse(query, entity, related, row, depth),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    /// <summary>EXISTS (SELECT 1 FROM target t WHERE t.id = r.lookup AND t.deleted_at IS NULL AND inner(t)).</summary>
    private static MethodCallExpression ThroughLookup(QueryContext query, EntityDefinition entity, Condition.LookupMatch filter, Expression row, int depth)
    {
        var field = entity.FindField(filter.Lookup);
        if (field is not { Type: FieldType.Lookup } || query.Metadata.Find(field.LookupEntity!) is not { } target)
        {
            throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no lookup '{filter.Lookup}'.", filter.Lookup);
        }

        query.Permissions?.EnsureReadable(entity.Name, field.Name);

        var related = Expression.Parameter(typeof(Dictionary<string, object>), "l" + depth);
        var joins = Expression.Equal(Expression.Convert(Column(related, RecordColumns.Id, typeof(Guid)), typeof(Guid?)), Column(row, field.ColumnName, typeof(Guid?)));
        return Exists(query, target, related, joins, Visit(query, target, filter.Inner, related, depth + 1));
    }

    /// <summary>Some / none / every live record of the source entity pointing here matches.</summary>
    private static Expression ThroughInverse(QueryContext query, EntityDefinition entity, Condition.RelatedRecords filter, Expression row, int depth)
    {
        var source = query.Metadata.Find(filter.Entity);
        var lookup = source?.FindField(filter.Lookup);
        if (source is null || lookup is not { Type: FieldType.Lookup } || lookup.LookupEntity != entity.Name)
        {
            throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no inverse list from '{filter.Entity}.{filter.Lookup}'.", filter.Lookup);
        }

        query.Permissions?.EnsureReadable(source.Name, lookup.Name);

        var related = Expression.Parameter(typeof(Dictionary<string, object>), "s" + depth);
        var joins = Expression.Equal(Column(related, lookup.ColumnName, typeof(Guid?)), Expression.Convert(Column(row, RecordColumns.Id, typeof(Guid)), typeof(Guid?)));
        // No inner condition: any record of the list.
        var inner = filter.Inner is null ? Expression.Constant(true) : Visit(query, source, filter.Inner, related, depth + 1);
        return filter.Match switch
        {
            RelatedMatch.Some => Exists(query, source, related, joins, inner),
            RelatedMatch.None => Expression.Not(Exists(query, source, related, joins, inner)),
            _ => Expression.Not(Exists(query, source, related, joins, Expression.Not(inner))),
        };
    }

    private static MethodCallExpression Exists(QueryContext query, EntityDefinition target, ParameterExpression related, Expression joins, Expression condition)
    {
        var live = IsNull(Column(related, RecordColumns.DeletedAt, typeof(DateTime?)));
        var predicate = Expression.Lambda<Func<Dictionary<string, object>, bool>>(Expression.AndAlso(Expression.AndAlso(joins, live), condition), related);
        return Expression.Call(QueryableAny.MakeGenericMethod(typeof(Dictionary<string, object>)), query.Root(target.Name), Expression.Quote(predicate));
    }

    private static Expression Compare(QueryContext query, QueryColumn column, Condition.Comparison filter, Expression row)
    {
        if (!column.Operators.Contains(filter.Operator))
        {
            throw new CrmException(ErrorCodes.InvalidOperator, $"'{Describe(filter.Operator)}' does not apply to '{column.Name}'; it takes {string.Join(", ", column.Operators.Select(Describe))}.", column.Name);
        }

        var property = Column(row, column.Column, column.ClrType);
        if (column.Field?.Of().FilterType == ApiFilterType.MultiPicklist && filter.Operator != ComparisonOperator.IsNull)
        {
            return MultiPicklistFilters.Compare(column, filter, property);
        }

        switch (filter.Operator)
        {
            case ComparisonOperator.IsNull:
                var wantsNull = filter.Value is not false;
                var isNull = IsNull(property);
                return wantsNull ? isNull : Expression.Not(isNull);
            case ComparisonOperator.Eq:
                return Equal(property, column.ToStored(filter.Value), column.ClrType);
            case ComparisonOperator.Ne:
                var stored = column.ToStored(filter.Value);
                // SQL's NULL <> x is unknown; "not equal" should include records with no value.
                return column.IsNullable && stored is not null
                    ? Expression.OrElse(IsNull(property), Expression.Not(Equal(property, stored, column.ClrType)))
                    : Expression.Not(Equal(property, stored, column.ClrType));
            case ComparisonOperator.In:
            case ComparisonOperator.NotIn:
                var values = ToList(column, filter.Value);
                var contains = Expression.Call(EnumerableContains.MakeGenericMethod(column.ClrType), Parameter(values, values.GetType()), property);
                return filter.Operator == ComparisonOperator.In ? contains : Expression.Not(contains);
            case ComparisonOperator.Lt:
                return Bound(column, property, filter.Value, ExpressionType.LessThan);
            case ComparisonOperator.Lte:
                return Bound(column, property, filter.Value, ExpressionType.LessThanOrEqual);
            case ComparisonOperator.Gt:
                return Bound(column, property, filter.Value, ExpressionType.GreaterThan);
            case ComparisonOperator.Gte:
                return Bound(column, property, filter.Value, ExpressionType.GreaterThanOrEqual);
            case ComparisonOperator.Between:
                var range = Items(filter.Value, column.Name);
                if (range.Count != 2 || range[0] is null || range[1] is null)
                {
                    throw new CrmException(ErrorCodes.InvalidValue, $"between on '{column.Name}' takes two values, [low, high].", column.Name);
                }

                return Expression.AndAlso(
                    Bound(column, property, range[0], ExpressionType.GreaterThanOrEqual),
                    Bound(column, property, range[1], ExpressionType.LessThanOrEqual));
            case ComparisonOperator.Contains:
            case ComparisonOperator.StartsWith:
            case ComparisonOperator.EndsWith:
                return Text(column, property, filter);
            case ComparisonOperator.Relative:
                return Relative(query, column, property, filter.Value);
            default:
                throw new CrmException(ErrorCodes.InvalidOperator, $"Operator {filter.Operator} is not supported on '{column.Name}'.", column.Name);
        }
    }

    private static Expression Equal(Expression property, object? stored, Type type) =>
        stored is null ? IsNull(property) : Expression.Equal(property, Parameter(stored, type));

    private static Expression Bound(QueryColumn column, Expression property, object? operand, ExpressionType comparison)
    {
        var stored = column.ToStored(operand)
            ?? throw new CrmException(ErrorCodes.InvalidValue, $"A comparison on '{column.Name}' needs a value; use isNull to find empty ones.", column.Name);
        return Ordered(property, Parameter(stored, column.ClrType), comparison);
    }

    /// <summary>Case-insensitive substring tests: lower(column) against the lowered operand.</summary>
    private static BinaryExpression Text(QueryColumn column, Expression property, Condition.Comparison filter)
    {
        if (LooseConvert.Unwrap(filter.Value) is not string { Length: > 0 } text)
        {
            throw new CrmException(ErrorCodes.InvalidValue, $"{Describe(filter.Operator)} on '{column.Name}' takes a non-empty string.", column.Name);
        }

        if (!LooseConvert.IsStorableText(text))
        {
            throw new CrmException(ErrorCodes.InvalidValue, $"{Describe(filter.Operator)} on '{column.Name}' can't look for a NUL character or a lone surrogate: no text holds one.", column.Name);
        }

        var method = filter.Operator switch
        {
            ComparisonOperator.Contains => StringContains,
            ComparisonOperator.StartsWith => StringStartsWith,
            _ => StringEndsWith,
        };
        var lowered = Expression.Call(property, StringToLower);
        return Expression.AndAlso(Expression.Not(IsNull(property)), Expression.Call(lowered, method, Parameter(text.ToLowerInvariant(), typeof(string))));
    }

    private static BinaryExpression Relative(QueryContext query, QueryColumn column, Expression property, object? operand)
    {
        if (operand is not RelativeDate range)
        {
            throw new CrmException(ErrorCodes.InvalidValue, $"relative on '{column.Name}' takes a relative date range such as {{ period: THIS_MONTH }}.", column.Name);
        }

        var zone = RelativeDateRange.FindZone(range.TimeZone, query.TimeZone, column.Name);
        Expression start, end;
        if ((Nullable.GetUnderlyingType(column.ClrType) ?? column.ClrType) == typeof(DateOnly))
        {
            var (first, after) = range.LocalDays(RelativeDateRange.Today(query.UtcNow, zone));
            (start, end) = (Parameter((DateOnly?)first, column.ClrType), Parameter((DateOnly?)after, column.ClrType));
        }
        else
        {
            var (first, after) = range.Instants(query.UtcNow, zone);
            (start, end) = (Parameter(Convert(first, column.ClrType), column.ClrType), Parameter(Convert(after, column.ClrType), column.ClrType));
        }

        return Expression.AndAlso(Expression.GreaterThanOrEqual(property, start), Expression.LessThan(property, end));

        static object Convert(DateTime instant, Type type) => type == typeof(DateTime?) ? (DateTime?)instant : instant;
    }

    private static object ToList(QueryColumn column, object? operand)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(column.ClrType))!;
        foreach (var item in Items(operand, column.Name))
        {
            list.Add(column.ToStored(item));
        }

        return list;
    }

    internal static IReadOnlyList<object?> Items(object? operand, string field)
    {
        var items = LooseConvert.Unwrap(operand) switch
        {
            null => [],
            string one => [one],
            IEnumerable many => many.Cast<object?>().ToList(),
            var one => new List<object?> { one },
        };
        return items.Count <= MaxListLength
            ? items
            : throw new CrmException(ErrorCodes.InvalidValue, $"A filter list on '{field}' holds at most {MaxListLength} values.", field);
    }

    internal static string Describe(ComparisonOperator op) => op switch
    {
        ComparisonOperator.NotIn => "notIn",
        ComparisonOperator.IsNull => "isNull",
        ComparisonOperator.StartsWith => "startsWith",
        ComparisonOperator.EndsWith => "endsWith",
        ComparisonOperator.HasAny => "hasAny",
        ComparisonOperator.HasAll => "hasAll",
        _ => op.ToString().ToLowerInvariant(),
    };
}
