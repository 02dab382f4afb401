using System.Linq.Expressions;
using System.Reflection;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Filters on multi-picklists, stored as <c>|a|b|</c>: "has x" is a substring test for <c>|x|</c>,
/// which both stores run; "equals" means the same set of options, in any order.
/// </summary>
internal static class MultiPicklistFilters
{
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringReplace = typeof(string).GetMethod(nameof(string.Replace), [typeof(string), typeof(string)])!;

    public static Expression Compare(QueryColumn column, Condition.Comparison filter, Expression property)
    {
        var options = Options(column, filter);
        var hasValue = Expression.NotEqual(property, Expression.Constant(null, typeof(string)));
        switch (filter.Operator)
        {
            case ComparisonOperator.Has:
                return options.Count == 1
                    ? Expression.AndAlso(hasValue, Has(property, options[0]))
                    : throw new CrmException(ErrorCodes.InvalidValue, $"has on '{column.Name}' takes one option; use hasAny or hasAll for several.", column.Name);
            case ComparisonOperator.HasAny:
                return options.Count == 0 ? Expression.Constant(false) : Expression.AndAlso(hasValue, options.Select(o => (Expression)Has(property, o)).Aggregate(Expression.OrElse));
            case ComparisonOperator.HasAll:
                return options.Count == 0 ? Expression.Constant(true) : Expression.AndAlso(hasValue, options.Select(o => (Expression)Has(property, o)).Aggregate(Expression.AndAlso));
            case ComparisonOperator.Eq:
                return SameSet(property, hasValue, options);
            case ComparisonOperator.Ne:
                return Expression.Not(SameSet(property, hasValue, options));
            default:
                throw new CrmException(ErrorCodes.InvalidOperator, $"'{PredicateBuilder.Describe(filter.Operator)}' does not apply to '{column.Name}'.", column.Name);
        }
    }

    /// <summary>Has every option and exactly as many separators as options plus one.</summary>
    private static Expression SameSet(Expression property, Expression hasValue, List<string> options)
    {
        if (options.Count == 0)
        {
            return Expression.Not(hasValue);
        }

        var all = options.Select(o => (Expression)Has(property, o)).Aggregate(Expression.AndAlso);
        var separators = Expression.Subtract(
            Expression.Property(property, nameof(string.Length)),
            Expression.Property(Expression.Call(property, StringReplace, Expression.Constant("|"), Expression.Constant(string.Empty)), nameof(string.Length)));
        return Expression.AndAlso(hasValue, Expression.AndAlso(all, Expression.Equal(separators, Expression.Constant(options.Count + 1))));
    }

    private static MethodCallExpression Has(Expression property, string option) =>
        Expression.Call(property, StringContains, PredicateBuilder.Parameter("|" + option + "|", typeof(string)));

    private static List<string> Options(QueryColumn column, Condition.Comparison filter)
    {
        var field = column.Field!;
        var relaxed = field with { Options = field.Options?.Select(o => o with { Active = true }).ToList() };
        var items = PredicateBuilder.Items(filter.Value, column.Name);
        var normalized = field.Of().Normalize(relaxed, items.ToList());
        return normalized.IsOk ? (List<string>)normalized.Value! : throw new CrmException(normalized.Error!);
    }
}
