using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Sdk.Plugins;

/// <summary>What a plugin declares about itself while it is configured.</summary>
public interface IPluginBuilder
{
    /// <summary>The plugin id from its manifest.</summary>
    string PluginId { get; }

    /// <summary>Declares an entity the plugin owns. Tenants may add their own fields to it.</summary>
    IPluginBuilder Entity(string name, Action<EntityBuilder> configure);

    /// <summary>Adds fields to an entity another plugin (a declared dependency) owns.</summary>
    IPluginBuilder ExtendEntity(string name, Action<EntityBuilder> configure);

    /// <summary>
    /// Declares a per-tenant setting: admins set it through GraphQL (<c>setPluginSettings</c>), the
    /// plugin reads it through its context's <see cref="Settings.IPluginSettings"/>.
    /// </summary>
    IPluginBuilder Setting(string name, Settings.SettingType type, Action<Settings.SettingBuilder> configure);
}
