namespace CrmEngine.Engine.Metadata;

/// <summary>
/// One choice of a picklist: the stored value (stable, what the API reads and writes), its
/// labels, an optional colour for frontends and its display order. Inactive options stay valid in
/// existing data but are refused for new writes.
/// </summary>
public sealed record PicklistOption
{
    public required string Value { get; init; }

    public required LocalizedText Labels { get; init; }

    public string? Color { get; init; }

    public int Order { get; init; }

    public bool Active { get; init; } = true;
}
