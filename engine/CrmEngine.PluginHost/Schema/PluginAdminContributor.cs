using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Operations;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.PluginHost.Schema;

/// <summary><c>plugins</c>, <c>enablePlugin(id)</c>, <c>disablePlugin(id)</c>, <c>uninstallPlugin(id, purgeData, confirm)</c> and <c>reloadPlugins</c>.</summary>
internal sealed class PluginAdminContributor(PluginCatalog catalog, PluginEnabler enabler, PluginReloader reloader, Microsoft.Extensions.Options.IOptions<Engine.CrmEngineOptions> options) : ISchemaContributor
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
        PluginField(plugin, "id", SharedTypes.NonNull(types.String), p => p.Id);
        PluginField(plugin, "version", types.String, p => p.Manifest?.Version.ToNormalizedString());
        types.AddLabels(plugin, "displayName", p => ((PluginView)p).Plugin is var loaded && loaded.Manifest is { } manifest ? manifest.DisplayName : new LocalizedText([new("en", loaded.Id)]));
        PluginField(plugin, "status", SharedTypes.NonNull(status), p => p.Status);
        PluginField(plugin, "error", types.String, p => p.Error);
        PluginField(plugin, "sdk", types.String, p => p.Manifest?.Sdk.ToString());
        PluginField(plugin, "dependencies", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), p => p.Manifest?.Dependencies.Select(d => $"{d.Key} {d.Value}").ToList() ?? []);
        PluginField(plugin, "entities", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), p => p.Entities.Select(e => e.Name).ToList());
        PluginField(plugin, "extendedEntities", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), p => p.Extensions.Select(e => e.Name).ToList());
        PluginField(plugin, "operations", SharedTypes.NonNull(SharedTypes.ListOf(operation)), p => enabler.OperationsOf(p.Id));
        plugin.AddField(new FieldType
        {
            Name = "enabled",
            Description = "Whether this tenant has the plugin enabled.",
            ResolvedType = SharedTypes.NonNull(types.Boolean),
            Resolver = Resolve.Sync(c => ((PluginView)c.Source!).Enabled is not null),
        });
        plugin.AddField(new FieldType
        {
            Name = "enabledVersion",
            Description = "The plugin version whose metadata this tenant has.",
            ResolvedType = types.String,
            Resolver = Resolve.Sync(c => ((PluginView)c.Source!).Enabled?.Version),
        });
        plugin.AddField(new FieldType
        {
            Name = "upgradingTo",
            Description = "While this tenant's upgrade to a newer version of the plugin runs, or after it stopped half-way (enablePlugin resumes it), that version; the plugin's entities, operations and jobs wait for it (PLUGIN_UPGRADING).",
            ResolvedType = types.String,
            Resolver = Resolve.Sync(c => ((PluginView)c.Source!).Enabled?.UpgradingTo),
        });

        context.Query.AddField(new FieldType
        {
            Name = "plugins",
            Description = "The plugins installed on this host, loaded or refused, and whether this tenant enables them.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(plugin)),
            Resolver = Resolve.Sync(c => catalog.Plugins.Select(p => new PluginView(p, c.Crm().Session.Metadata)).ToList()),
        });

        var payload = new ObjectGraphType { Name = "PluginPayload" };
        Field(payload, "plugin", plugin, p => ((Outcome)p).Plugin);
        Field(payload, "metadataVersion", SharedTypes.NonNull(types.Int), p => (int)((Outcome)p).Version);
        Field(payload, "userErrors", types.UserErrors, p => ((Outcome)p).Errors);
        AddMutation(context, payload, "enablePlugin", "Enables a plugin on this tenant: its entities are created (or restored) and its operations appear. Enabling an enabled plugin changes nothing. Needs admin rights.", [],
            (c, store, id, actor) => enabler.EnableAsync(store, id, actor, c.CancellationToken));
        AddMutation(context, payload, "disablePlugin", "Disables a plugin on this tenant: its API disappears, its data stays. Disabling a disabled plugin changes nothing. Needs admin rights.", [],
            (c, store, id, actor) => enabler.DisableAsync(store, id, actor, c.CancellationToken));
        AddMutation(context, payload, "uninstallPlugin",
            "Uninstalls a plugin from this tenant. Without purgeData it is disablePlugin (data kept); with purgeData its entities, the fields it added to others and all their records are deleted for good, and confirm must repeat the plugin id (CONFIRMATION_REQUIRED otherwise, and nothing changes). Needs admin rights.",
            [new QueryArgument(context.Types.Boolean) { Name = "purgeData", DefaultValue = false }, new QueryArgument(context.Types.String) { Name = "confirm" }],
            (c, store, id, actor) => enabler.UninstallAsync(store, id, c.GetArgument<bool>("purgeData"), c.GetArgument<string?>("confirm"), actor, c.CancellationToken));
        AddReload(context, plugin);
    }

    private void AddReload(SchemaBuildContext context, ObjectGraphType plugin)
    {
        var types = context.Types;
        var change = new ObjectGraphType { Name = "PluginVersionChange", Description = "A plugin a reload changed." };
        Field(change, "id", SharedTypes.NonNull(types.String), c => ((PluginVersionChange)c).Id);
        Field(change, "from", types.String, c => ((PluginVersionChange)c).From);
        Field(change, "to", SharedTypes.NonNull(types.String), c => ((PluginVersionChange)c).To);
        var payload = new ObjectGraphType { Name = "ReloadPluginsPayload" };
        Field(payload, "changed", SharedTypes.NonNull(SharedTypes.ListOf(change)), p => ((ReloadOutcome)p).Changed);
        Field(payload, "plugins", SharedTypes.NonNull(SharedTypes.ListOf(plugin)), p => ((ReloadOutcome)p).Plugins);
        Field(payload, "userErrors", types.UserErrors, p => ((ReloadOutcome)p).Errors);
        context.Mutation.AddField(new FieldType
        {
            Name = "reloadPlugins",
            Description = "Loads new plugin versions (and new plugins) from the host's plugin folder without a restart; unchanged ones stay as they are. What is in flight finishes on the old code; tenants are upgraded in the background, and each uses the new version once its upgrade has finished (PLUGIN_UPGRADING until then). A reload that would lose a loaded plugin changes nothing (PLUGIN_REFUSED). Needs admin rights on an operator tenant (Crm:OperatorTenants).",
            ResolvedType = SharedTypes.NonNull(payload),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var session = crm.Session;
                if (!session.Permissions.IsAdmin || !options.Value.IsOperatorTenant(session.TenantId))
                {
                    return ReloadOutcome.Of([], catalog, session.Metadata, [new CrmError(ErrorCodes.Forbidden, "Reloading the host's plugins needs admin rights on an operator tenant (Crm:OperatorTenants): it changes every tenant.")]);
                }

                try
                {
                    return ReloadOutcome.Of(await reloader.ReloadAsync(c.CancellationToken), catalog, session.Metadata, []);
                }
                catch (CrmException e)
                {
                    return ReloadOutcome.Of([], catalog, session.Metadata, e.Errors);
                }
            }),
        });
    }

    private void AddMutation(SchemaBuildContext context, ObjectGraphType payload, string name, string description, QueryArgument[] arguments, PluginChange change) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = new QueryArguments([new QueryArgument(SharedTypes.NonNull(context.Types.String)) { Name = "id" }, .. arguments]),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var id = c.GetArgument<string>("id");
                var session = crm.Session;
                if (!session.Permissions.IsAdmin)
                {
                    return Outcome.Of(catalog.Find(id), session.Metadata, [new CrmError(ErrorCodes.Forbidden, "Enabling, disabling and uninstalling plugins needs admin rights.")]);
                }

                try
                {
                    return Outcome.Of(catalog.Find(id), await change(c, session.Store, id, session.Principal.UserId), []);
                }
                catch (CrmException e)
                {
                    return Outcome.Of(catalog.Find(id), session.Store.Metadata, e.Errors);
                }
            }),
        });

    private delegate Task<MetadataSnapshot> PluginChange(IResolveFieldContext context, Engine.Tenancy.TenantStore store, string pluginId, Guid? actor);

    private static void PluginField(ObjectGraphType type, string name, IGraphType graphType, Func<LoadedPlugin, object?> value) =>
        Field(type, name, graphType, p => value(((PluginView)p).Plugin));

    private static void Field(ObjectGraphType type, string name, IGraphType graphType, Func<object, object?> value) =>
        type.AddField(new FieldType { Name = name, ResolvedType = graphType, Resolver = Resolve.Sync(c => value(c.Source!)) });

    /// <summary>A plugin as a tenant's metadata at one version has it: the mutations answer with the metadata they made, not the request's.</summary>
    private sealed record PluginView(LoadedPlugin Plugin, MetadataSnapshot Metadata)
    {
        public EnabledPlugin? Enabled => Metadata.Plugins.FirstOrDefault(e => e.Id == Plugin.Id);
    }

    private sealed record ReloadOutcome(IReadOnlyList<PluginVersionChange> Changed, IReadOnlyList<PluginView> Plugins, IReadOnlyList<CrmError> Errors)
    {
        public static ReloadOutcome Of(IReadOnlyList<PluginVersionChange> changed, PluginCatalog catalog, MetadataSnapshot metadata, IReadOnlyList<CrmError> errors) =>
            new(changed, catalog.Plugins.Select(p => new PluginView(p, metadata)).ToList(), errors);
    }

    private sealed record Outcome(PluginView? Plugin, long Version, IReadOnlyList<CrmError> Errors)
    {
        public static Outcome Of(LoadedPlugin? plugin, MetadataSnapshot metadata, IReadOnlyList<CrmError> errors) =>
            new(plugin is null ? null : new PluginView(plugin, metadata), metadata.Version, errors);
    }
}
