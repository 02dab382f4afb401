using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>Changes to an entity's presentation and indexes. Labels merge by locale.</summary>
public sealed record EntityUpdate
{
    public Patch<LocalizedText> Labels { get; init; }

    public Patch<LocalizedText?> PluralLabels { get; init; }

    public Patch<LocalizedText?> Descriptions { get; init; }

    /// <summary>Replaces the composite indexes (indexes are built or dropped by the change).</summary>
    public Patch<IReadOnlyList<IndexDefinition>> Indexes { get; init; }

    public EntityDefinition ApplyTo(EntityDefinition entity) => entity with
    {
        Indexes = Indexes.Or(entity.Indexes),
        Labels = Labels.HasValue ? entity.Labels.Merge(Labels.Value) : entity.Labels,
        PluralLabels = PluralLabels.HasValue ? MergeOrClear(entity.PluralLabels, PluralLabels.Value) : entity.PluralLabels,
        Descriptions = Descriptions.HasValue ? MergeOrClear(entity.Descriptions, Descriptions.Value) : entity.Descriptions,
    };

    internal static LocalizedText? MergeOrClear(LocalizedText? current, LocalizedText? change) =>
        change is null ? null : (current ?? LocalizedText.Empty).Merge(change);
}

/// <summary>
/// Changes to a field: labels, constraints, options, or its type. Labels merge by locale; options
/// replace the list (values in use can be deactivated, not dropped).
/// </summary>
public sealed record FieldUpdate
{
    public Patch<FieldType> Type { get; init; }

    public Patch<LocalizedText> Labels { get; init; }

    public Patch<LocalizedText?> Descriptions { get; init; }

    public Patch<bool> Required { get; init; }

    public Patch<bool> Unique { get; init; }

    public Patch<bool> Indexed { get; init; }

    public Patch<bool> Searchable { get; init; }

    public Patch<string?> DefaultValue { get; init; }

    public Patch<int?> MaxLength { get; init; }

    public Patch<decimal?> Min { get; init; }

    public Patch<decimal?> Max { get; init; }

    public Patch<string?> Pattern { get; init; }

    public Patch<int?> Scale { get; init; }

    public Patch<string?> Currency { get; init; }

    public Patch<IReadOnlyList<PicklistOption>?> Options { get; init; }

    public Patch<string?> InverseName { get; init; }

    public Patch<LocalizedText?> InverseLabels { get; init; }

    public Patch<string?> AutoNumberFormat { get; init; }

    public FieldDefinition ApplyTo(FieldDefinition field) => field with
    {
        Type = Type.Or(field.Type),
        Labels = Labels.HasValue ? field.Labels.Merge(Labels.Value) : field.Labels,
        Descriptions = Descriptions.HasValue ? EntityUpdate.MergeOrClear(field.Descriptions, Descriptions.Value) : field.Descriptions,
        Required = Required.Or(field.Required),
        Unique = Unique.Or(field.Unique),
        Indexed = Indexed.Or(field.Indexed),
        Searchable = Searchable.Or(field.Searchable),
        DefaultValue = DefaultValue.Or(field.DefaultValue),
        MaxLength = MaxLength.Or(field.MaxLength),
        Min = Min.Or(field.Min),
        Max = Max.Or(field.Max),
        Pattern = Pattern.Or(field.Pattern),
        Scale = Scale.Or(field.Scale),
        Currency = Currency.Or(field.Currency),
        Options = Options.Or(field.Options),
        InverseName = InverseName.Or(field.InverseName),
        InverseLabels = InverseLabels.Or(field.InverseLabels),
        AutoNumberFormat = AutoNumberFormat.Or(field.AutoNumberFormat),
    };
}
