namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Wraps an operand so expression trees read it through a member access: EF then sends it as a
/// parameter and reuses the compiled query for other values.
/// </summary>
internal sealed class ValueHolder<T>(T value)
{
    public T Value { get; } = value;
}
