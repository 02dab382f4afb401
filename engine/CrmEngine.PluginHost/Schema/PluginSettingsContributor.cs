using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.PluginHost.Settings;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Settings;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.PluginHost.Schema;

/// <summary>
/// <c>pluginSettings(plugin)</c> and <c>setPluginSettings(plugin, values)</c>: the tenant's values
/// of the settings a plugin declares. Both need admin rights; secrets are never returned (only
/// whether they are set).
/// </summary>
internal sealed class PluginSettingsContributor(PluginSettingsStore settings) : ISchemaContributor
{
    public int Order => 37;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var text = SharedTypes.NonNull(types.String);
        var settingType = new EnumerationGraphType<SettingType> { Name = "PluginSettingType", Description = "The kind of value a plugin setting holds." };
        var option = new ObjectGraphType { Name = "PluginSettingOption", Description = "A choice of a picklist setting." };
        option.AddField(new FieldType { Name = "value", ResolvedType = text, Resolver = Resolve.FromSource(o => ((Sdk.Metadata.OptionDeclaration)o).Value) });
        types.AddLabels(option, "label", o => PluginMetadata.Text(((Sdk.Metadata.OptionDeclaration)o).Labels));

        var setting = new ObjectGraphType { Name = "PluginSetting", Description = "A setting a plugin declares, with this tenant's value." };
        setting.AddField(new FieldType { Name = "name", ResolvedType = text, Resolver = Resolve.FromSource(s => V(s).Declaration.Name) });
        setting.AddField(new FieldType { Name = "type", ResolvedType = SharedTypes.NonNull(settingType), Resolver = Resolve.FromSource(s => V(s).Declaration.Type) });
        types.AddLabels(setting, "label", s => PluginMetadata.Text(V(s).Declaration.Labels));
        types.AddLabels(setting, "description", s => PluginMetadata.Text(V(s).Declaration.Description), required: false);
        setting.AddField(new FieldType { Name = "secret", Description = "Stored encrypted; its value is never returned.", ResolvedType = SharedTypes.NonNull(types.Boolean), Resolver = Resolve.FromSource(s => V(s).Declaration.Secret) });
        setting.AddField(new FieldType { Name = "isSet", Description = "Whether this tenant set a value (else the default applies).", ResolvedType = SharedTypes.NonNull(types.Boolean), Resolver = Resolve.FromSource(s => V(s).IsSet) });
        setting.AddField(new FieldType { Name = "value", Description = "This tenant's value; null when not set, and always for secrets.", ResolvedType = types.Json, Resolver = Resolve.FromSource(s => V(s).Value) });
        setting.AddField(new FieldType { Name = "defaultValue", ResolvedType = types.Json, Resolver = Resolve.FromSource(s => V(s).Declaration.DefaultValue) });
        setting.AddField(new FieldType { Name = "options", ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(option)), Resolver = Resolve.FromSource(s => V(s).Declaration.Options ?? []) });

        context.Query.AddField(new FieldType
        {
            Name = "pluginSettings",
            Description = "The settings a plugin declares, with this tenant's values (secrets only say whether they are set). Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(setting)),
            Arguments = new QueryArguments(new QueryArgument(text) { Name = "plugin" }),
            Resolver = Resolve.Async(async (c, crm) => await settings.ListAsync(crm.Session, c.GetArgument<string>("plugin"), c.CancellationToken)),
        });

        var value = SharedTypes.Input("PluginSettingValue", "A setting's new value: a JSON value of the setting's type (numbers may be given as strings), or null for the default.",
            ("name", text),
            ("value", types.Json));
        var payload = new ObjectGraphType { Name = "PluginSettingsPayload", Description = "The plugin's settings after the change, or why it was refused (then nothing changed)." };
        payload.AddField(new FieldType { Name = "settings", ResolvedType = SharedTypes.ListOf(setting), Resolver = Resolve.FromSource(p => ((Outcome)p).Settings) });
        payload.AddField(new FieldType { Name = "userErrors", ResolvedType = types.UserErrors, Resolver = Resolve.FromSource(p => ((Outcome)p).Errors) });
        context.Mutation.AddField(new FieldType
        {
            Name = "setPluginSettings",
            Description = "Sets some of a plugin's settings on this tenant, all or none. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = new QueryArguments(
                new QueryArgument(text) { Name = "plugin" },
                new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(value))) { Name = "values" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    var values = c.GetArgument<List<Dictionary<string, object?>>>("values")
                        .Select(v => new KeyValuePair<string, object?>((string)v["name"]!, v.GetValueOrDefault("value")))
                        .ToList();
                    return new Outcome(await settings.SetAsync(crm.Session, c.GetArgument<string>("plugin"), values, c.CancellationToken), []);
                }
                catch (CrmException e)
                {
                    return new Outcome(null, e.Errors);
                }
            }),
        });
    }

    private static PluginSettingView V(object source) => (PluginSettingView)source;

    private sealed record Outcome(IReadOnlyList<PluginSettingView>? Settings, IReadOnlyList<CrmError> Errors);
}
