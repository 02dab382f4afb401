using System.Linq.Expressions;
using System.Reflection;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>Turns a <see cref="RecordFilter"/> into <c>Expression&lt;Func&lt;row, bool&gt;&gt;</c> over EF.Property calls.</summary>
public static class PredicateBuilder
{
    public const int MaxDepth = 10;

    private static readonly MethodInfo EfProperty = typeof(EF).GetMethod(nameof(EF.Property))!;
    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    public static Expression<Func<Dictionary<string, object>, bool>> Build(EntityDefinition entity, RecordFilter filter)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(Visit(entity, filter, row, 0), row);
    }

    /// <summary><c>EF.Property&lt;T&gt;(row, column)</c>.</summary>
    public static Expression Column(Expression row, string column, Type clrType) =>
        Expression.Call(EfProperty.MakeGenericMethod(clrType), row, Expression.Constant(column));

    /// <summary>A value EF will send as a parameter.</summary>
    public static Expression Parameter(object? value, Type type)
    {
        var holderType = typeof(ValueHolder<>).MakeGenericType(type);
        var holder = Activator.CreateInstance(holderType, value);
        return Expression.Property(Expression.Constant(holder), nameof(ValueHolder<object>.Value));
    }

    public static Expression<Func<Dictionary<string, object>, bool>> ColumnEquals(string column, Type clrType, object? value)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(
            Expression.Equal(Column(row, column, clrType), Parameter(value, clrType)), row);
    }

    private static Expression Visit(EntityDefinition entity, RecordFilter filter, ParameterExpression row, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CrmException(ErrorCodes.InvalidInput, $"Filters may nest at most {MaxDepth} levels deep.", "filter");
        }

        return filter switch
        {
            AndFilter and => and.Items.Count == 0 ? Expression.Constant(true) : and.Items.Select(f => Visit(entity, f, row, depth + 1)).Aggregate(Expression.AndAlso),
            OrFilter or => or.Items.Count == 0 ? Expression.Constant(false) : or.Items.Select(f => Visit(entity, f, row, depth + 1)).Aggregate(Expression.OrElse),
            NotFilter not => Expression.Not(Visit(entity, not.Inner, row, depth + 1)),
            FieldFilter field => Compare(QueryColumn.Resolve(entity, field.Field), field, row),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    private static Expression Compare(QueryColumn column, FieldFilter filter, ParameterExpression row)
    {
        var property = Column(row, column.Column, column.ClrType);
        var nullable = Nullable.GetUnderlyingType(column.ClrType) is not null || !column.ClrType.IsValueType;
        switch (filter.Operator)
        {
            case FilterOperator.IsNull:
                var wantsNull = filter.Operand is not false;
                if (!nullable)
                {
                    return Expression.Constant(!wantsNull);
                }

                var isNull = Expression.Equal(property, Expression.Constant(null, column.ClrType));
                return wantsNull ? isNull : Expression.Not(isNull);
            case FilterOperator.Eq:
                return Expression.Equal(property, Parameter(column.ToStored(filter.Operand), column.ClrType));
            case FilterOperator.Ne:
                var stored = column.ToStored(filter.Operand);
                var notEqual = Expression.NotEqual(property, Parameter(stored, column.ClrType));
                // SQL's NULL <> x is unknown; "not equal" should include records with no value.
                return nullable && stored is not null
                    ? Expression.OrElse(Expression.Equal(property, Expression.Constant(null, column.ClrType)), notEqual)
                    : notEqual;
            case FilterOperator.In:
            case FilterOperator.NotIn:
                var values = ToList(column, filter.Operand);
                var contains = Expression.Call(EnumerableContains.MakeGenericMethod(column.ClrType), Parameter(values, values.GetType()), property);
                return filter.Operator == FilterOperator.In ? contains : Expression.Not(contains);
            default:
                throw new CrmException(ErrorCodes.InvalidInput, $"Operator {filter.Operator} is not supported on '{column.Name}'.", column.Name);
        }
    }

    private static object ToList(QueryColumn column, object? operand)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(column.ClrType))!;
        foreach (var item in operand as System.Collections.IEnumerable ?? Array.Empty<object>())
        {
            list.Add(column.ToStored(item));
        }

        return list;
    }
}
