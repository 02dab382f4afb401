using System.Linq.Expressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>
/// What a group is keyed on: a column, or a date bucket of one. Buckets are computed by the store
/// as a number (20250331 for a day or a week's Monday, 202503 for a month, 20251 for a quarter,
/// 2025 for a year) from the value shifted into the time zone, and read back as the bucket's first
/// day (a date, or for date-time fields the UTC instant that day starts).
/// </summary>
internal sealed class GroupKeyExpression
{
    private readonly QueryColumn _column;
    private readonly DateBucket? _bucket;
    private readonly TimeZoneInfo _zone;
    private readonly double _offsetMinutes;
    private readonly Func<Expression, Expression>? _displayOf;
    private readonly int _fiscalShift;

    private GroupKeyExpression(QueryColumn column, DateBucket? bucket, TimeZoneInfo zone, double offsetMinutes, Func<Expression, Expression>? displayOf, int fiscalShift)
    {
        _fiscalShift = fiscalShift;
        _column = column;
        _bucket = bucket;
        _zone = zone;
        _offsetMinutes = offsetMinutes;
        _displayOf = displayOf;
    }

    private bool IsDate => (Nullable.GetUnderlyingType(_column.ClrType) ?? _column.ClrType) == typeof(DateOnly);

    /// <summary>Resolves a group key; <paramref name="fiscalShift"/> (fiscal quarters and years) is the months between January and the fiscal year's first month.</summary>
    public static GroupKeyExpression Resolve(EntityDefinition entity, Grouping spec, QueryContext query, int fiscalShift = 0)
    {
        var column = query.Column(entity, spec.Field);
        if (column.Field is { } field && !field.Of().IsGroupable)
        {
            throw new CrmException(ErrorCodes.InvalidAggregate, $"Records can't be grouped by '{spec.Field}', a {field.Type} field.", spec.Field);
        }

        var core = Nullable.GetUnderlyingType(column.ClrType) ?? column.ClrType;
        if (spec.Bucket is not null && core != typeof(DateTime) && core != typeof(DateOnly))
        {
            throw new CrmException(ErrorCodes.InvalidAggregate, $"Date buckets apply to date and date-time fields, not '{spec.Field}'.", spec.Field);
        }

        var zone = RelativeDateRange.FindZone(spec.TimeZone, query.TimeZone, spec.Field);
        // One offset for the whole query: exact for zones without daylight saving (Asia/Shanghai, UTC).
        var shift = spec.Bucket is DateBucket.Quarter or DateBucket.Year ? fiscalShift : 0;
        return new GroupKeyExpression(column, spec.Bucket, zone, zone.GetUtcOffset(query.UtcNow).TotalMinutes, DisplayOf(column, query), shift);
    }

    /// <summary>
    /// What the key order sorts by, given the group's key: the key itself, and for a lookup first the
    /// related record's display field (what a client shows for the key), so groups of Acme Retail
    /// come before those of 深圳华为 whatever their ids.
    /// </summary>
    public IEnumerable<Expression> OrderTerms(Expression key) => _displayOf is null ? [key] : [_displayOf(key), key];

    /// <summary>For a lookup: the related record's display field, unless the caller may not read it (its order would tell).</summary>
    private static Func<Expression, Expression>? DisplayOf(QueryColumn column, QueryContext query)
    {
        if (column.Field is not { Type: FieldType.Lookup } lookup || query.Metadata.Find(lookup.LookupEntity!) is not { DisplayField: { } display } target
            || query.Permissions?.CanRead(target.Name, display.Name) == false)
        {
            return null;
        }

        return key => query.RelatedValue(target, key, related => PredicateBuilder.Column(related, display.ColumnName, typeof(string)), typeof(string));
    }

    public Expression Build(ParameterExpression row)
    {
        var value = PredicateBuilder.Column(row, _column.Column, _column.ClrType);
        if (_bucket is not { } bucket)
        {
            return value;
        }

        Expression day = Expression.Property(value, "Value");
        if (!IsDate && _offsetMinutes != 0)
        {
            day = Expression.Call(day, nameof(DateTime.AddMinutes), null, Expression.Constant(_offsetMinutes));
        }

        if (_fiscalShift != 0)
        {
            // A fiscal period is the calendar period of the date moved back to a January start.
            day = Expression.Call(day, IsDate ? nameof(DateOnly.AddMonths) : nameof(DateTime.AddMonths), null, Expression.Constant(-_fiscalShift));
        }

        if (bucket == DateBucket.Week)
        {
            // Back to Monday: (DayOfWeek + 6) % 7 days.
            var back = Expression.Negate(Expression.Modulo(Expression.Add(Expression.Convert(Expression.Property(day, "DayOfWeek"), typeof(int)), Expression.Constant(6)), Expression.Constant(7)));
            day = IsDate
                ? Expression.Call(day, nameof(DateOnly.AddDays), null, back)
                : Expression.Call(day, nameof(DateTime.AddDays), null, Expression.Convert(back, typeof(double)));
        }

        Expression Part(string name) => Expression.Convert(Expression.Property(day, name), typeof(long));
        var code = bucket switch
        {
            DateBucket.Day or DateBucket.Week => Sum(Product(Part("Year"), 10000), Product(Part("Month"), 100), Part("Day")),
            DateBucket.Month => Sum(Product(Part("Year"), 100), Part("Month")),
            DateBucket.Quarter => Sum(Product(Part("Year"), 10), Expression.Divide(Expression.Add(Part("Month"), Expression.Constant(2L)), Expression.Constant(3L))),
            _ => Part("Year"),
        };
        return Expression.Condition(PredicateBuilder.IsNull(value), Expression.Constant(null, typeof(long?)), Expression.Convert(code, typeof(long?)));

        static Expression Product(Expression part, long factor) => Expression.Multiply(part, Expression.Constant(factor));
        static Expression Sum(params Expression[] parts) => parts.Aggregate(Expression.Add);
    }

    /// <summary>A key as the API gives it: bucket codes become the bucket's first day.</summary>
    public object? ToApi(object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_bucket is not { } bucket)
        {
            return value is DateTime instant ? DateTime.SpecifyKind(instant, DateTimeKind.Utc) : value;
        }

        var code = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        var first = bucket switch
        {
            DateBucket.Day or DateBucket.Week => new DateOnly((int)(code / 10000), (int)(code / 100 % 100), (int)(code % 100)),
            DateBucket.Month => new DateOnly((int)(code / 100), (int)(code % 100), 1),
            DateBucket.Quarter => new DateOnly((int)(code / 10), (((int)(code % 10) - 1) * 3) + 1, 1),
            _ => new DateOnly((int)code, 1, 1),
        };
        first = first.AddMonths(_fiscalShift);
        return IsDate ? first : RelativeDateRange.ToUtc(first, _zone);
    }
}
