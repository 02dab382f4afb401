namespace CrmEngine.Sdk.Records;

/// <summary>
/// A condition on records for <see cref="IRecordApi.FindAsync"/>:
/// <c>Condition.Eq("status", "new").And(Condition.IsNull("ownerId").Not())</c>. Field names are
/// API names; system fields id, createdAt, updatedAt, ownerId, createdBy and updatedBy work too.
/// </summary>
public abstract record Condition
{
    /// <summary>The field equals the value.</summary>
    public static Condition Eq(string field, object? value) => new Comparison(field, ComparisonOperator.Eq, value);

    /// <summary>The field differs from the value (records with no value included).</summary>
    public static Condition Ne(string field, object? value) => new Comparison(field, ComparisonOperator.Ne, value);

    /// <summary>The field equals one of the values.</summary>
    public static Condition In(string field, IEnumerable<object?> values) => new Comparison(field, ComparisonOperator.In, values.ToList());

    /// <summary>The field has no value.</summary>
    public static Condition IsNull(string field) => new Comparison(field, ComparisonOperator.IsNull, true);

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
    /// <param name="Value">The operand (a list for In).</param>
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

    /// <summary>No value.</summary>
    IsNull,
}
