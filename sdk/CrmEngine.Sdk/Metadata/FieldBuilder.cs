namespace CrmEngine.Sdk.Metadata;

/// <summary>Declares one field; see <see cref="EntityBuilder"/>.</summary>
public sealed class FieldBuilder
{
    private readonly List<OptionDeclaration> _options = [];
    private FieldDeclaration _field;

    /// <summary>Starts a field declaration.</summary>
    public FieldBuilder(string name, FieldType type) => _field = new FieldDeclaration(name, type, new LocalizedString(name, name));

    /// <summary>Sets the display name in English and Simplified Chinese.</summary>
    public FieldBuilder Label(string en, string zhCn) => With(_field with { Labels = new LocalizedString(en, zhCn) });

    /// <summary>Describes the field.</summary>
    public FieldBuilder Description(string en, string zhCn) => With(_field with { Description = new LocalizedString(en, zhCn) });

    /// <summary>Makes the field required.</summary>
    public FieldBuilder Required() => With(_field with { Required = true });

    /// <summary>Makes values unique among live records.</summary>
    public FieldBuilder Unique() => With(_field with { Unique = true });

    /// <summary>Indexes the column.</summary>
    public FieldBuilder Indexed() => With(_field with { Indexed = true });

    /// <summary>Includes the field in full-text search.</summary>
    public FieldBuilder Searchable() => With(_field with { Searchable = true });

    /// <summary>Sets the default for new records, as text.</summary>
    public FieldBuilder Default(string value) => With(_field with { DefaultValue = value });

    /// <summary>Limits the length of text.</summary>
    public FieldBuilder MaxLength(int length) => With(_field with { MaxLength = length });

    /// <summary>Limits numbers to a range.</summary>
    public FieldBuilder Range(decimal? min, decimal? max) => With(_field with { Min = min, Max = max });

    /// <summary>Requires text to match a regular expression.</summary>
    public FieldBuilder Pattern(string pattern) => With(_field with { Pattern = pattern });

    /// <summary>Limits decimal places.</summary>
    public FieldBuilder Scale(int scale) => With(_field with { Scale = scale });

    /// <summary>Sets a money field's default currency.</summary>
    public FieldBuilder Currency(string isoCode) => With(_field with { Currency = isoCode });

    /// <summary>Adds a picklist choice.</summary>
    public FieldBuilder Option(string value, string en, string zhCn, string? color = null)
    {
        _options.Add(new OptionDeclaration(value, new LocalizedString(en, zhCn), color));
        return this;
    }

    /// <summary>Names the inverse list a lookup adds to its target.</summary>
    public FieldBuilder Inverse(string name) => With(_field with { InverseName = name });

    /// <summary>Sets the entity a lookup points to.</summary>
    public FieldBuilder Target(string entity) => With(_field with { LookupEntity = entity });

    /// <summary>Sets an auto-number's format.</summary>
    public FieldBuilder Format(string format) => With(_field with { AutoNumberFormat = format });

    /// <summary>The declaration built so far.</summary>
    public FieldDeclaration Build() => _options.Count == 0 ? _field : _field with { Options = _options.ToList() };

    private FieldBuilder With(FieldDeclaration field)
    {
        _field = field;
        return this;
    }
}
