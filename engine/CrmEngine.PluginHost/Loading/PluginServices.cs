using System.Runtime.CompilerServices;
using CrmEngine.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.PluginHost.Loading;

/// <summary>
/// Each loaded plugin's own service container, built when first needed from what the plugin
/// registered, so a reload can put a new version's services beside the old ones (the host's container
/// is fixed once built). What a plugin can ask for from the host, the types it shares with it (the
/// SDK's, Microsoft.Extensions', <see cref="TimeProvider"/>), is forwarded to the host's instances;
/// open generic ones (ILogger&lt;T&gt;, IOptions&lt;T&gt;) are made in the plugin's container from the
/// host's registrations.
/// </summary>
public sealed class PluginServices(IServiceCollection hostServices, IServiceProvider host)
{
    private readonly ConditionalWeakTable<LoadedPlugin, ServiceProvider> _containers = [];
    private readonly Lock _gate = new();
    private List<ServiceDescriptor>? _forwarded;

    /// <summary>The plugin's container: its own registrations over the host's shared services.</summary>
    public IServiceProvider Of(LoadedPlugin plugin)
    {
        if (_containers.TryGetValue(plugin, out var built))
        {
            return built;
        }

        lock (_gate)
        {
            if (!_containers.TryGetValue(plugin, out built))
            {
                IServiceCollection services = new ServiceCollection();
                foreach (var descriptor in Forwarded())
                {
                    services.Add(descriptor);
                }

                foreach (var descriptor in plugin.OwnServices)
                {
                    services.Add(descriptor);
                }

                built = services.BuildServiceProvider();
                _containers.Add(plugin, built);
            }

            return built;
        }
    }

    private List<ServiceDescriptor> Forwarded()
    {
        if (_forwarded is not null)
        {
            return _forwarded;
        }

        var forwarded = new List<ServiceDescriptor>();
        foreach (var group in hostServices.Where(d => !d.IsKeyedService && d.Lifetime != ServiceLifetime.Scoped && Shared(d.ServiceType)).GroupBy(d => d.ServiceType))
        {
            if (group.Key.IsGenericTypeDefinition)
            {
                forwarded.AddRange(group);
                continue;
            }

            var index = 0;
            foreach (var descriptor in group)
            {
                var (type, at) = (group.Key, index++);
                forwarded.Add(new ServiceDescriptor(type, _ => host.GetServices(type).ElementAt(at)!, descriptor.Lifetime));
            }
        }

        return _forwarded = forwarded;
    }

    /// <summary>Types a plugin can name (its load context shares their assemblies with the host).</summary>
    private static bool Shared(Type type) =>
        type.Assembly == typeof(SdkInfo).Assembly
        || type == typeof(TimeProvider)
        || type.Namespace?.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) == true;
}
