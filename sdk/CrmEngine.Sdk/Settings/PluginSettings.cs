using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Sdk.Settings;

/// <summary>The kind of value a plugin setting holds.</summary>
public enum SettingType
{
    /// <summary>Text (<see cref="string"/>).</summary>
    String,

    /// <summary>A whole number (<see cref="long"/>).</summary>
    Integer,

    /// <summary>A decimal number (<see cref="decimal"/>), kept exactly.</summary>
    Decimal,

    /// <summary>True or false (<see cref="bool"/>).</summary>
    Boolean,

    /// <summary>One of the declared options' values (<see cref="string"/>).</summary>
    Picklist,
}

/// <summary>A per-tenant setting as a plugin declares it (see <see cref="SettingBuilder"/>).</summary>
/// <param name="Name">The API name, camelCase, unique within the plugin.</param>
/// <param name="Type">The kind of value.</param>
/// <param name="Labels">The display name.</param>
public sealed record SettingDeclaration(string Name, SettingType Type, LocalizedString Labels)
{
    /// <summary>What the setting does, for the admin who sets it.</summary>
    public LocalizedString? Description { get; init; }

    /// <summary>The value a tenant that set nothing gets (a string, a whole number, a decimal or a bool, as <see cref="Type"/> says); null for none.</summary>
    public object? DefaultValue { get; init; }

    /// <summary>Stored encrypted and never shown back to admins (an API key, a password).</summary>
    public bool Secret { get; init; }

    /// <summary>The choices of a picklist setting.</summary>
    public IReadOnlyList<OptionDeclaration>? Options { get; init; }
}

/// <summary>
/// Declares a per-tenant setting fluently, through <see cref="Plugins.IPluginBuilder.Setting"/>:
/// <code>
/// builder.Setting("apiKey", SettingType.String, s => s.Label("API key", "API 密钥").Secret());
/// builder.Setting("batchSize", SettingType.Integer, s => s.Label("Batch size", "批大小").Default(100));
/// </code>
/// </summary>
public sealed class SettingBuilder
{
    private readonly List<OptionDeclaration> _options = [];
    private LocalizedString? _labels;
    private LocalizedString? _description;
    private object? _default;
    private bool _secret;

    /// <summary>Starts the declaration of setting <paramref name="name"/> of type <paramref name="type"/>.</summary>
    public SettingBuilder(string name, SettingType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The setting's API name.</summary>
    public string Name { get; }

    /// <summary>The kind of value.</summary>
    public SettingType Type { get; }

    /// <summary>Sets the display name in English and Simplified Chinese (required).</summary>
    public SettingBuilder Label(string en, string zhCn)
    {
        _labels = new LocalizedString(en, zhCn);
        return this;
    }

    /// <summary>Says what the setting does, in English and Simplified Chinese.</summary>
    public SettingBuilder Description(string en, string zhCn)
    {
        _description = new LocalizedString(en, zhCn);
        return this;
    }

    /// <summary>The value for tenants that set nothing; it must fit the type (the host refuses the plugin otherwise).</summary>
    public SettingBuilder Default(object value)
    {
        _default = value;
        return this;
    }

    /// <summary>Keeps the value encrypted at rest and never returns it to admins, who see only whether it is set.</summary>
    public SettingBuilder Secret()
    {
        _secret = true;
        return this;
    }

    /// <summary>Adds a choice to a picklist setting.</summary>
    public SettingBuilder Option(string value, string en, string zhCn)
    {
        _options.Add(new OptionDeclaration(value, new LocalizedString(en, zhCn)));
        return this;
    }

    /// <summary>The declaration; throws when the label is missing.</summary>
    public SettingDeclaration Build() => new(Name, Type, _labels ?? throw new InvalidOperationException($"Setting '{Name}' needs a label (Label(en, zhCn))."))
    {
        Description = _description,
        DefaultValue = _default,
        Secret = _secret,
        Options = _options.Count == 0 ? null : _options.ToList(),
    };
}

/// <summary>
/// The plugin's settings on the current tenant, as its admins set them (<c>setPluginSettings</c>),
/// else as the plugin declared their defaults. Hooks, operations and jobs get it from their context.
/// </summary>
public interface IPluginSettings
{
    /// <summary>
    /// The tenant's value of setting <paramref name="name"/>, else its default (null when neither),
    /// converted to <typeparamref name="T"/>; secrets come decrypted. Throws
    /// <see cref="ArgumentException"/> for a name the plugin did not declare.
    /// </summary>
    Task<T?> GetAsync<T>(string name, CancellationToken cancellationToken = default);
}
