using CrmEngine.Engine.Metadata;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// What every installed plugin reserves on every tenant: the query and mutation names of its
/// entities and its operations. The first plugin to load owns a name; a later one that declares an
/// entity of the same name is refused at load, one whose operation clashes is refused at enable.
/// </summary>
internal sealed class PluginNameReservations(PluginCatalog catalog) : INameReservations
{
    public string? OwnerOf(string apiName) => catalog.Derived(typeof(PluginNameReservations), Owners).GetValueOrDefault(apiName);

    private static Dictionary<string, string> Owners(PluginCatalog catalog)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var plugin in catalog.Loaded)
        {
            foreach (var name in plugin.Entities.SelectMany(e => ApiNamesOf(e, plugin.Id)))
            {
                owners.TryAdd(name, plugin.Id);
            }
        }

        foreach (var (operation, pluginId) in catalog.Implementations<IPluginOperation>())
        {
            owners.TryAdd(operation.Name, pluginId);
        }

        return owners;
    }

    /// <summary>The root query and mutation names a plugin's entity takes in the API.</summary>
    public static IEnumerable<string> ApiNamesOf(EntityDeclaration declaration, string pluginId)
    {
        var definition = PluginMetadata.ToDefinition(declaration, pluginId);
        return ApiNames.RootQueryFields(definition).Concat(ApiNames.Mutations(definition));
    }
}
