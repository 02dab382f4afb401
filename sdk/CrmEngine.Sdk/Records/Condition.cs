namespace CrmEngine.Sdk.Records;

/// <summary>
/// A condition on records for <see cref="IRecordApi.FindAsync"/> and <see cref="IRecordApi.QueryAsync"/>:
/// <c>Condition.Eq("status", "new").And(Condition.IsNull("ownerId").Not())</c>. Field names are
/// API names; system fields id, createdAt, updatedAt, ownerId, createdBy and updatedBy work too.
/// The operators are the engine's (the GraphQL filters offer the same); one that does not fit the
/// field's type is refused with INVALID_OPERATOR.
/// </summary>
public abstract record Condition
{
    /// <summary>The field equals the value.</summary>
    public static Condition Eq(string field, object? value) => new Comparison(field, ComparisonOperator.Eq, value);

    /// <summary>The field differs from the value (records with no value included).</summary>
    public static Condition Ne(string field, object? value) => new Comparison(field, ComparisonOperator.Ne, value);

    /// <summary>The field equals one of the values.</summary>
    public static Condition In(string field, IEnumerable<object?> values) => new Comparison(field, ComparisonOperator.In, values.ToList());

    /// <summary>The field equals none of the values.</summary>
    public static Condition NotIn(string field, IEnumerable<object?> values) => new Comparison(field, ComparisonOperator.NotIn, values.ToList());

    /// <summary>The field has no value.</summary>
    public static Condition IsNull(string field) => new Comparison(field, ComparisonOperator.IsNull, true);

    /// <summary>The field has a value.</summary>
    public static Condition IsNotNull(string field) => new Comparison(field, ComparisonOperator.IsNull, false);

    /// <summary>The field is less than the value (numbers, money, dates, text).</summary>
    public static Condition Lt(string field, object value) => new Comparison(field, ComparisonOperator.Lt, value);

    /// <summary>The field is at most the value.</summary>
    public static Condition Lte(string field, object value) => new Comparison(field, ComparisonOperator.Lte, value);

    /// <summary>The field is greater than the value.</summary>
    public static Condition Gt(string field, object value) => new Comparison(field, ComparisonOperator.Gt, value);

    /// <summary>The field is at least the value.</summary>
    public static Condition Gte(string field, object value) => new Comparison(field, ComparisonOperator.Gte, value);

    /// <summary>The field lies between the two values, both included.</summary>
    public static Condition Between(string field, object low, object high) => new Comparison(field, ComparisonOperator.Between, new List<object?> { low, high });

    /// <summary>The text contains the value, ignoring case.</summary>
    public static Condition Contains(string field, string value) => new Comparison(field, ComparisonOperator.Contains, value);

    /// <summary>The text starts with the value, ignoring case.</summary>
    public static Condition StartsWith(string field, string value) => new Comparison(field, ComparisonOperator.StartsWith, value);

    /// <summary>The text ends with the value, ignoring case.</summary>
    public static Condition EndsWith(string field, string value) => new Comparison(field, ComparisonOperator.EndsWith, value);

    /// <summary>The date or date-time lies in a calendar period relative to when the query runs.</summary>
    public static Condition Within(string field, RelativeDate range) => new Comparison(field, ComparisonOperator.Relative, range);

    /// <summary>The multi-picklist has the option.</summary>
    public static Condition Has(string field, string option) => new Comparison(field, ComparisonOperator.Has, option);

    /// <summary>The multi-picklist has at least one of the options.</summary>
    public static Condition HasAny(string field, IEnumerable<string> options) => new Comparison(field, ComparisonOperator.HasAny, options.Cast<object?>().ToList());

    /// <summary>The multi-picklist has every one of the options.</summary>
    public static Condition HasAll(string field, IEnumerable<string> options) => new Comparison(field, ComparisonOperator.HasAll, options.Cast<object?>().ToList());

    /// <summary>The record a lookup points to is set, live, and matches <paramref name="inner"/> (<c>Through("account", Eq("industry", "retail"))</c>).</summary>
    public static Condition Through(string lookup, Condition inner) => new LookupMatch(lookup, inner);

    /// <summary>
    /// Records of <paramref name="entity"/> whose <paramref name="lookup"/> points at this record (an
    /// inverse list) match <paramref name="inner"/> as <paramref name="match"/> says.
    /// </summary>
    public static Condition Related(string entity, string lookup, RelatedMatch match, Condition? inner = null) => new RelatedRecords(entity, lookup, match, inner);

    /// <summary>All conditions hold.</summary>
    public static Condition All(params Condition[] conditions) => new AllOf(conditions);

    /// <summary>At least one condition holds.</summary>
    public static Condition Any(params Condition[] conditions) => new AnyOf(conditions);

    /// <summary>This and another condition hold.</summary>
    public Condition And(Condition other) => new AllOf([this, other]);

    /// <summary>This or another condition holds.</summary>
    public Condition Or(Condition other) => new AnyOf([this, other]);

    /// <summary>This condition does not hold.</summary>
    public Condition Not() => new Negation(this);

    /// <summary>A comparison of one field.</summary>
    /// <param name="Field">The field's API name.</param>
    /// <param name="Operator">How to compare.</param>
    /// <param name="Value">The operand (a list for In, NotIn, Between, HasAny and HasAll; a <see cref="RelativeDate"/> for Relative).</param>
    public sealed record Comparison(string Field, ComparisonOperator Operator, object? Value) : Condition;

    /// <summary>Every inner condition holds.</summary>
    /// <param name="Conditions">The inner conditions.</param>
    public sealed record AllOf(IReadOnlyList<Condition> Conditions) : Condition;

    /// <summary>Some inner condition holds.</summary>
    /// <param name="Conditions">The inner conditions.</param>
    public sealed record AnyOf(IReadOnlyList<Condition> Conditions) : Condition;

    /// <summary>The inner condition does not hold.</summary>
    /// <param name="Inner">The negated condition.</param>
    public sealed record Negation(Condition Inner) : Condition;

    /// <summary>A condition on the record a lookup points to.</summary>
    /// <param name="Lookup">The lookup field.</param>
    /// <param name="Inner">What the looked-up record must match.</param>
    public sealed record LookupMatch(string Lookup, Condition Inner) : Condition;

    /// <summary>A condition on the records that point at this one.</summary>
    /// <param name="Entity">The entity whose records point here.</param>
    /// <param name="Lookup">Their lookup field that points here.</param>
    /// <param name="Match">How many of them must match.</param>
    /// <param name="Inner">What they must match; null for any.</param>
    public sealed record RelatedRecords(string Entity, string Lookup, RelatedMatch Match, Condition? Inner) : Condition;
}

/// <summary>How a <see cref="Condition.Comparison"/> compares.</summary>
public enum ComparisonOperator
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal.</summary>
    Ne,

    /// <summary>One of a list.</summary>
    In,

    /// <summary>No value (operand true), or a value (operand false).</summary>
    IsNull,

    /// <summary>None of a list.</summary>
    NotIn,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Lte,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Gte,

    /// <summary>Between two values, both included.</summary>
    Between,

    /// <summary>Text containing the operand, ignoring case.</summary>
    Contains,

    /// <summary>Text starting with the operand, ignoring case.</summary>
    StartsWith,

    /// <summary>Text ending with the operand, ignoring case.</summary>
    EndsWith,

    /// <summary>A date within a <see cref="RelativeDate"/> range.</summary>
    Relative,

    /// <summary>A multi-picklist with the option.</summary>
    Has,

    /// <summary>A multi-picklist with at least one of the options.</summary>
    HasAny,

    /// <summary>A multi-picklist with all of the options.</summary>
    HasAll,
}

/// <summary>How many records of an inverse list must match a <see cref="Condition.RelatedRecords"/>.</summary>
public enum RelatedMatch
{
    /// <summary>At least one.</summary>
    Some,

    /// <summary>None at all.</summary>
    None,

    /// <summary>All of them (true when there are none).</summary>
    Every,
}

/// <summary>Calendar periods relative to the moment a query runs.</summary>
public enum RelativePeriod
{
    /// <summary>Today.</summary>
    Today,

    /// <summary>Yesterday.</summary>
    Yesterday,

    /// <summary>Tomorrow.</summary>
    Tomorrow,

    /// <summary>This week (weeks start on Monday).</summary>
    ThisWeek,

    /// <summary>Last week.</summary>
    LastWeek,

    /// <summary>Next week.</summary>
    NextWeek,

    /// <summary>This calendar month.</summary>
    ThisMonth,

    /// <summary>Last calendar month.</summary>
    LastMonth,

    /// <summary>Next calendar month.</summary>
    NextMonth,

    /// <summary>This calendar quarter.</summary>
    ThisQuarter,

    /// <summary>Last calendar quarter.</summary>
    LastQuarter,

    /// <summary>Next calendar quarter.</summary>
    NextQuarter,

    /// <summary>This calendar year.</summary>
    ThisYear,

    /// <summary>Last calendar year.</summary>
    LastYear,

    /// <summary>Next calendar year.</summary>
    NextYear,

    /// <summary>The last N days, today included.</summary>
    LastNDays,

    /// <summary>Today and the next N days.</summary>
    NextNDays,
}

/// <summary>A calendar period relative to now, such as this quarter or the last 30 days, in a time zone.</summary>
/// <param name="Period">The period.</param>
/// <param name="Days">N for LastNDays and NextNDays.</param>
/// <param name="TimeZone">An IANA time zone id; the engine's default zone when null.</param>
public sealed record RelativeDate(RelativePeriod Period, int? Days = null, string? TimeZone = null);
