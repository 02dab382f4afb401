namespace CrmEngine.Engine.Metadata;

/// <summary>
/// A value that may be absent, as distinct from null: in an update, an absent property is left
/// alone while an explicit null clears it.
/// </summary>
public readonly record struct Patch<T>(bool HasValue, T Value)
{
    public static implicit operator Patch<T>(T value) => new(true, value);

    public T Or(T fallback) => HasValue ? Value : fallback;
}
