using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Sdk.Plugins;

/// <summary>What a plugin declares about itself while it is configured.</summary>
public interface IPluginBuilder
{
    /// <summary>The plugin id from its manifest.</summary>
    string PluginId { get; }

    /// <summary>Declares an entity the plugin owns. Tenants may add their own fields to it.</summary>
    IPluginBuilder Entity(string name, Action<EntityBuilder> configure);

    /// <summary>
    /// Adds fields to an entity another plugin (a declared dependency) owns. Calling it again for the
    /// same entity adds the fields of that call too.
    /// </summary>
    IPluginBuilder ExtendEntity(string name, Action<EntityBuilder> configure);

    /// <summary>
    /// Declares a per-tenant setting: admins set it through GraphQL (<c>setPluginSettings</c>), the
    /// plugin reads it through its context's <see cref="Settings.IPluginSettings"/>.
    /// </summary>
    IPluginBuilder Setting(string name, Settings.SettingType type, Action<Settings.SettingBuilder> configure);

    /// <summary>
    /// Declares an approval process of one of the plugin's entities (or an entity it extends), which
    /// the engine's approval service runs on every tenant that enables the plugin. Its operations
    /// submit and decide through <see cref="Operations.IOperationContext.Approvals"/>.
    /// </summary>
    IPluginBuilder ApprovalProcess(string name, string entity, Action<Approvals.ApprovalProcessBuilder> configure);
}
