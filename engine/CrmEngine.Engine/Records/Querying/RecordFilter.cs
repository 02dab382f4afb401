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

public enum FilterOperator
{
    Eq,
    Ne,
    In,
    NotIn,
    IsNull,
}
