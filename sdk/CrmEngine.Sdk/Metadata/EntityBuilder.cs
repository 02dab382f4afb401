namespace CrmEngine.Sdk.Metadata;

/// <summary>
/// Declares an entity fluently:
/// <code>
/// builder.Entity("lead", e => e
///     .Label("Lead", "线索")
///     .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100))
///     .Picklist("status", f => f.Label("Status", "状态").Option("new", "New", "新建").Default("new")));
/// </code>
/// </summary>
public sealed class EntityBuilder
{
    private readonly List<FieldDeclaration> _fields = [];
    private string? _plural;
    private LocalizedString? _labels;
    private LocalizedString? _pluralLabels;
    private LocalizedString? _description;

    /// <summary>Starts the declaration of entity <paramref name="name"/>.</summary>
    public EntityBuilder(string name) => Name = name;

    /// <summary>The entity's API name.</summary>
    public string Name { get; }

    /// <summary>Sets the display name in English and Simplified Chinese.</summary>
    public EntityBuilder Label(string en, string zhCn)
    {
        _labels = new LocalizedString(en, zhCn);
        return this;
    }

    /// <summary>Sets the plural API name and, optionally, display name (defaults: English plural rules, the singular labels).</summary>
    public EntityBuilder Plural(string pluralName, string? en = null, string? zhCn = null)
    {
        _plural = pluralName;
        if (en is not null && zhCn is not null)
        {
            _pluralLabels = new LocalizedString(en, zhCn);
        }

        return this;
    }

    /// <summary>Describes what the entity is for.</summary>
    public EntityBuilder Description(string en, string zhCn)
    {
        _description = new LocalizedString(en, zhCn);
        return this;
    }

    /// <summary>Adds a field of any type.</summary>
    public EntityBuilder Field(string name, FieldType type, Action<FieldBuilder> configure)
    {
        var field = new FieldBuilder(name, type);
        configure(field);
        _fields.Add(field.Build());
        return this;
    }

    /// <summary>Adds a single-line text field.</summary>
    public EntityBuilder Text(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Text, configure);

    /// <summary>Adds a multi-line text field.</summary>
    public EntityBuilder LongText(string name, Action<FieldBuilder> configure) => Field(name, FieldType.LongText, configure);

    /// <summary>Adds a 64-bit whole number field.</summary>
    public EntityBuilder Integer(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Integer, configure);

    /// <summary>Adds an exact decimal field.</summary>
    public EntityBuilder Decimal(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Decimal, configure);

    /// <summary>Adds a money field (amount and currency).</summary>
    public EntityBuilder Money(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Money, configure);

    /// <summary>Adds a true/false field.</summary>
    public EntityBuilder Boolean(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Boolean, configure);

    /// <summary>Adds a date field.</summary>
    public EntityBuilder Date(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Date, configure);

    /// <summary>Adds a date-and-time field (UTC).</summary>
    public EntityBuilder DateTime(string name, Action<FieldBuilder> configure) => Field(name, FieldType.DateTime, configure);

    /// <summary>Adds an e-mail field.</summary>
    public EntityBuilder Email(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Email, configure);

    /// <summary>Adds a phone number field.</summary>
    public EntityBuilder Phone(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Phone, configure);

    /// <summary>Adds a URL field.</summary>
    public EntityBuilder Url(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Url, configure);

    /// <summary>Adds a single-choice picklist.</summary>
    public EntityBuilder Picklist(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Picklist, configure);

    /// <summary>Adds a multiple-choice picklist.</summary>
    public EntityBuilder MultiPicklist(string name, Action<FieldBuilder> configure) => Field(name, FieldType.MultiPicklist, configure);

    /// <summary>
    /// Adds an attachment field: files uploaded through the files service. Limit it to one file with
    /// <c>f.Range(null, 1)</c> (the maximum is the number of files).
    /// </summary>
    public EntityBuilder Attachment(string name, Action<FieldBuilder> configure) => Field(name, FieldType.Attachment, configure);

    /// <summary>Adds a lookup (many-to-one) to <paramref name="target"/>; the target gains an inverse list.</summary>
    public EntityBuilder Lookup(string name, string target, Action<FieldBuilder> configure) =>
        Field(name, FieldType.Lookup, f =>
        {
            f.Target(target);
            configure(f);
        });

    /// <summary>Adds an auto-number with a format such as <c>QUO-{000000}</c>.</summary>
    public EntityBuilder AutoNumber(string name, string format, Action<FieldBuilder> configure) =>
        Field(name, FieldType.AutoNumber, f =>
        {
            f.Format(format);
            configure(f);
        });

    /// <summary>The declaration built so far.</summary>
    public EntityDeclaration Build() => new(Name, _plural, _labels, _pluralLabels, _description, _fields.ToList());
}
