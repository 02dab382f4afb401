using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Operations;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.PluginHost.Schema;

/// <summary><c>plugins</c>, <c>enablePlugin(id)</c> and <c>disablePlugin(id)</c>.</summary>
internal sealed class PluginAdminContributor(PluginCatalog catalog, PluginEnabler enabler) : ISchemaContributor
{
    public int Order => 35;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var status = new EnumerationGraphType<PluginStatus> { Name = "PluginStatus", Description = "LOADED plugins can be enabled; REFUSED ones say why in `error`." };
        var operation = new ObjectGraphType { Name = "PluginOperationInfo", Description = "A query or mutation a plugin adds." };
        Field(operation, "name", SharedTypes.NonNull(types.String), o => ((IPluginOperation)o).Name);
        Field(operation, "kind", SharedTypes.NonNull(types.String), o => ((IPluginOperation)o).Kind.ToString().ToUpperInvariant());
        Field(operation, "description", types.String, o => ((IPluginOperation)o).Description);

        var plugin = new ObjectGraphType { Name = "Plugin", Description = "A plugin installed on this host." };
        Field(plugin, "id", SharedTypes.NonNull(types.String), p => ((LoadedPlugin)p).Id);
        Field(plugin, "version", types.String, p => ((LoadedPlugin)p).Manifest?.Version.ToNormalizedString());
        types.AddLabels(plugin, "displayName", p => ((LoadedPlugin)p).Manifest?.DisplayName ?? new Engine.Metadata.LocalizedText([new("en", ((LoadedPlugin)p).Id)]));
        Field(plugin, "status", SharedTypes.NonNull(status), p => ((LoadedPlugin)p).Status);
        Field(plugin, "error", types.String, p => ((LoadedPlugin)p).Error);
        Field(plugin, "sdk", types.String, p => ((LoadedPlugin)p).Manifest?.Sdk.ToString());
        Field(plugin, "dependencies", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), p => ((LoadedPlugin)p).Manifest?.Dependencies.Select(d => $"{d.Key} {d.Value}").ToList() ?? []);
        Field(plugin, "entities", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), p => ((LoadedPlugin)p).Entities.Select(e => e.Name).ToList());
        Field(plugin, "extendedEntities", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), p => ((LoadedPlugin)p).Extensions.Select(e => e.Name).ToList());
        Field(plugin, "operations", SharedTypes.NonNull(SharedTypes.ListOf(operation)), p => enabler.OperationsOf(((LoadedPlugin)p).Id));
        plugin.AddField(new FieldType
        {
            Name = "enabled",
            Description = "Whether this tenant has the plugin enabled.",
            ResolvedType = SharedTypes.NonNull(types.Boolean),
            Resolver = Resolve.Sync(c => c.Crm().Session.Metadata.IsPluginEnabled(((LoadedPlugin)c.Source!).Id)),
        });
        plugin.AddField(new FieldType
        {
            Name = "enabledVersion",
            Description = "The plugin version whose metadata this tenant has.",
            ResolvedType = types.String,
            Resolver = Resolve.Sync(c => c.Crm().Session.Metadata.Plugins.FirstOrDefault(e => e.Id == ((LoadedPlugin)c.Source!).Id)?.Version),
        });

        context.Query.AddField(new FieldType
        {
            Name = "plugins",
            Description = "The plugins installed on this host, loaded or refused, and whether this tenant enables them.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(plugin)),
            Resolver = Resolve.Sync(_ => catalog.Plugins),
        });

        var payload = new ObjectGraphType { Name = "PluginPayload" };
        Field(payload, "plugin", plugin, p => ((Outcome)p).Plugin);
        Field(payload, "metadataVersion", SharedTypes.NonNull(types.Int), p => (int)((Outcome)p).Version);
        Field(payload, "userErrors", types.UserErrors, p => ((Outcome)p).Errors);
        AddMutation(context, payload, "enablePlugin", "Enables a plugin on this tenant: its entities are created (or restored) and its operations appear. Needs admin rights.", enable: true);
        AddMutation(context, payload, "disablePlugin", "Disables a plugin on this tenant: its API disappears, its data stays. Needs admin rights.", enable: false);
    }

    private void AddMutation(SchemaBuildContext context, ObjectGraphType payload, string name, string description, bool enable) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(context.Types.String)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var id = c.GetArgument<string>("id");
                var session = crm.Session;
                if (!session.Permissions.IsAdmin)
                {
                    return new Outcome(catalog.Find(id), session.Metadata.Version, [new CrmError(ErrorCodes.Forbidden, "Enabling and disabling plugins needs admin rights.")]);
                }

                try
                {
                    var snapshot = enable
                        ? await enabler.EnableAsync(session.Store, id, session.Principal.UserId, c.CancellationToken)
                        : await enabler.DisableAsync(session.Store, id, session.Principal.UserId, c.CancellationToken);
                    return new Outcome(catalog.Find(id), snapshot.Version, []);
                }
                catch (CrmException e)
                {
                    return new Outcome(catalog.Find(id), session.Store.Metadata.Version, e.Errors);
                }
            }),
        });

    private static void Field(ObjectGraphType type, string name, IGraphType graphType, Func<object, object?> value) =>
        type.AddField(new FieldType { Name = name, ResolvedType = graphType, Resolver = Resolve.Sync(c => value(c.Source!)) });

    private sealed record Outcome(LoadedPlugin? Plugin, long Version, IReadOnlyList<CrmError> Errors);
}
