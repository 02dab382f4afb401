using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Sdk.Plugins;

/// <summary>
/// A plugin's entry point: exactly one public class per plugin assembly implements it. The host
/// creates it once at start-up (with a parameterless constructor), lets it declare its metadata and
/// register its services, then scans the assembly for hooks, operations, jobs, seeds and rule
/// functions (the other SDK interfaces) and registers those too.
/// </summary>
public interface ICrmPlugin
{
    /// <summary>Declares the plugin's entities and the fields it adds to other plugins' entities.</summary>
    void Configure(IPluginBuilder builder);

    /// <summary>Registers the plugin's own services, which its hooks and operations may take in their constructors.</summary>
    void ConfigureServices(IServiceCollection services)
    {
    }
}
