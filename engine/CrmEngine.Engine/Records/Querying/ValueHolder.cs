namespace CrmEngine.Engine.Records.Querying;

/// <summary>An operand of a query, boxed for the engine's own parameter extraction.</summary>
internal interface IValueHolder
{
    object? Value { get; }
}

/// <summary>
/// Wraps an operand so expression trees read it through a member access: EF then sends it as a
/// parameter and reuses the compiled query for other values.
/// </summary>
internal sealed class ValueHolder<T>(T value) : IValueHolder
{
    public T Value { get; } = value;

    object? IValueHolder.Value => Value;
}
