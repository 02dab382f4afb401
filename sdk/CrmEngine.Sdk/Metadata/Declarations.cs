namespace CrmEngine.Sdk.Metadata;

/// <summary>An entity as a plugin declares it (or the fields it adds to another plugin's entity).</summary>
/// <param name="Name">The API name, camelCase, such as <c>lead</c>.</param>
/// <param name="PluralName">The plural API name, such as <c>leads</c>.</param>
/// <param name="Labels">The display name.</param>
/// <param name="PluralLabels">The plural display name.</param>
/// <param name="Description">What the entity is for.</param>
/// <param name="Fields">The fields, in display order.</param>
public sealed record EntityDeclaration(
    string Name,
    string? PluralName,
    LocalizedString? Labels,
    LocalizedString? PluralLabels,
    LocalizedString? Description,
    IReadOnlyList<FieldDeclaration> Fields);

/// <summary>A field as a plugin declares it.</summary>
/// <param name="Name">The API name, camelCase.</param>
/// <param name="Type">The kind of field.</param>
/// <param name="Labels">The display name.</param>
public sealed record FieldDeclaration(string Name, FieldType Type, LocalizedString Labels)
{
    /// <summary>What the field holds.</summary>
    public LocalizedString? Description { get; init; }

    /// <summary>A value must be present on create and can't be cleared.</summary>
    public bool Required { get; init; }

    /// <summary>No two live records share a value.</summary>
    public bool Unique { get; init; }

    /// <summary>The column gets a database index.</summary>
    public bool Indexed { get; init; }

    /// <summary>Full-text search covers the field.</summary>
    public bool Searchable { get; init; }

    /// <summary>The default for new records, as text ("42", "true", "2025-01-31", an option value).</summary>
    public string? DefaultValue { get; init; }

    /// <summary>The longest text allowed.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The smallest number allowed.</summary>
    public decimal? Min { get; init; }

    /// <summary>The largest number allowed.</summary>
    public decimal? Max { get; init; }

    /// <summary>A regular expression text must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>Decimal places allowed (decimal and money).</summary>
    public int? Scale { get; init; }

    /// <summary>The default ISO 4217 currency of a money field.</summary>
    public string? Currency { get; init; }

    /// <summary>The choices of a picklist.</summary>
    public IReadOnlyList<OptionDeclaration>? Options { get; init; }

    /// <summary>The entity a lookup points to.</summary>
    public string? LookupEntity { get; init; }

    /// <summary>The name of the list the lookup adds to its target (default: the plural of this entity).</summary>
    public string? InverseName { get; init; }

    /// <summary>The format of an auto-number, such as <c>QUO-{000000}</c>.</summary>
    public string? AutoNumberFormat { get; init; }
}

/// <summary>A picklist choice.</summary>
/// <param name="Value">What records store, stable across label changes.</param>
/// <param name="Labels">The display text.</param>
/// <param name="Color">An optional #RRGGBB colour for frontends.</param>
public sealed record OptionDeclaration(string Value, LocalizedString Labels, string? Color = null);
