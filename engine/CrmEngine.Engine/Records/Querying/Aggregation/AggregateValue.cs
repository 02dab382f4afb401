using System.Linq.Expressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>One requested value (sum of budget, ...) resolved against the entity: which column, and how it is computed over a group.</summary>
internal sealed class AggregateValue
{
    private readonly QueryColumn _column;

    private AggregateValue(Aggregate spec, QueryColumn column)
    {
        Spec = spec;
        _column = column;
    }

    public Aggregate Spec { get; }

    /// <summary>The value over an empty set: a count of zero, otherwise nothing.</summary>
    public object? Empty => Spec.Function == AggregateFunction.CountDistinct ? 0L : null;

    public static AggregateValue Resolve(QueryContext query, EntityDefinition entity, Aggregate spec)
    {
        var column = query.Column(entity, spec.Field);
        return column.Allows(spec.Function)
            ? new AggregateValue(spec, column)
            : throw new CrmException(ErrorCodes.InvalidAggregate, $"{spec.Function} does not apply to '{spec.Field}'.", spec.Field);
    }

    /// <summary>The aggregate over the rows of group <paramref name="group"/>.</summary>
    public Expression Compute(Expression group)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "x");
        var column = PredicateBuilder.Column(row, _column.Column, _column.ClrType);
        var selector = Expression.Lambda(column, row);
        return Spec.Function switch
        {
            AggregateFunction.CountDistinct => RecordAggregator.Count(group, selector),
            AggregateFunction.Min => RecordAggregator.Extreme(group, selector, max: false),
            AggregateFunction.Max => RecordAggregator.Extreme(group, selector, max: true),
            AggregateFunction.Sum => ExactSums.Sum(group, column, row),
            _ => ExactSums.Average(group, column, row),
        };
    }

    /// <summary>The value as the API gives it: counts as longs, sums exact (<see cref="ExactDecimal"/>), averages as decimals, extremes in the field's type.</summary>
    public object? ToApi(object? value) => (Spec.Function, value) switch
    {
        (_, null) => null,
        (AggregateFunction.Sum, string sum) => ExactSums.ReadSum(sum, _column.ClrType),
        (AggregateFunction.Avg, string parts) => ExactSums.ReadAverage(parts, _column.ClrType),
        (_, int count) => (long)count,
        // PostgreSQL's numeric extremes keep the scale they were stored with; the API gives the value.
        (_, decimal number) => Fields.LooseConvert.Canonical(number),
        (_, DateTime instant) => DateTime.SpecifyKind(instant, DateTimeKind.Utc),
        _ => value,
    };
}
