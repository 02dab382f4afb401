namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// A filter over an entity's records, as a tree the API builds and <see cref="PredicateBuilder"/>
/// turns into a LINQ expression EF translates for any provider. No SQL text is built from input.
/// </summary>
public abstract record RecordFilter;

public sealed record AndFilter(IReadOnlyList<RecordFilter> Items) : RecordFilter;

public sealed record OrFilter(IReadOnlyList<RecordFilter> Items) : RecordFilter;

public sealed record NotFilter(RecordFilter Inner) : RecordFilter;

/// <summary>A comparison on one field (or system field) with an operand in API form.</summary>
public sealed record FieldFilter(string Field, FilterOperator Operator, object? Operand) : RecordFilter;

/// <summary>
/// A condition on the record a lookup points to (<c>account: { industry: { eq: "telecom" } }</c>):
/// true when the lookup is set, its record is not deleted, and that record matches <see cref="Inner"/>.
/// </summary>
public sealed record LookupFilter(string Lookup, RecordFilter Inner) : RecordFilter;

/// <summary>
/// A condition on an inverse list (<c>contacts: { some: { ... } }</c>): the live records of
/// <see cref="SourceEntity"/> whose <see cref="LookupField"/> points at this record.
/// </summary>
public sealed record RelatedFilter(string SourceEntity, string LookupField, RelatedMatch Match, RecordFilter Inner) : RecordFilter;

/// <summary>How many related records must match.</summary>
public enum RelatedMatch
{
    /// <summary>At least one.</summary>
    Some,

    /// <summary>None at all.</summary>
    None,

    /// <summary>All of them (true when there are none).</summary>
    Every,
}

public enum FilterOperator
{
    Eq,
    Ne,
    In,
    NotIn,
    IsNull,
    Lt,
    Lte,
    Gt,
    Gte,

    /// <summary>Inclusive on both ends; the operand is a two-item list [low, high].</summary>
    Between,

    /// <summary>Case-insensitive substring (text).</summary>
    Contains,
    StartsWith,
    EndsWith,

    /// <summary>A date or date-time within a <see cref="RelativeDateRange"/>, computed when the query runs.</summary>
    Relative,

    /// <summary>Multi-picklist: has this one option.</summary>
    Has,

    /// <summary>Multi-picklist: has at least one of these options.</summary>
    HasAny,

    /// <summary>Multi-picklist: has every one of these options.</summary>
    HasAll,
}
