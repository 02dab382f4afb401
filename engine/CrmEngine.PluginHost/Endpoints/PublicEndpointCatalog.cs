using System.Text.RegularExpressions;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk.Endpoints;
using Microsoft.Extensions.Logging;

namespace CrmEngine.PluginHost.Endpoints;

/// <summary>
/// The public endpoints of the loaded plugins, by plugin, and which one a request path names. Routes
/// are literal segments (matched ignoring case) and <c>{name}</c> parameters; a route that is not
/// one, or that repeats another of its plugin, is logged and left out, and the plugin's others serve.
/// </summary>
public sealed partial class PublicEndpointCatalog
{
    private readonly Func<Dictionary<string, List<Route>>> _byPlugin;

    /// <summary>The loaded plugins' endpoints; a reload replaces them.</summary>
    public PublicEndpointCatalog(PluginCatalog catalog, ILogger<PublicEndpointCatalog> logger) =>
        _byPlugin = () => catalog.Derived(typeof(PublicEndpointCatalog), c => Routes(c.Implementations<IPublicEndpoint>(), logger));

    /// <summary>A fixed set of endpoints, each with the plugin it belongs to.</summary>
    internal PublicEndpointCatalog(IEnumerable<(IPublicEndpoint Instance, string PluginId)> endpoints, ILogger logger)
    {
        var routes = Routes(endpoints, logger);
        _byPlugin = () => routes;
    }

    private static Dictionary<string, List<Route>> Routes(IEnumerable<(IPublicEndpoint Instance, string PluginId)> endpoints, ILogger logger)
    {
        var byPlugin = new Dictionary<string, List<Route>>(StringComparer.Ordinal);
        foreach (var (endpoint, pluginId) in endpoints)
        {
            var routes = byPlugin.TryGetValue(pluginId, out var list) ? list : byPlugin[pluginId] = [];
            if (Parse(endpoint.Route) is not { } segments)
            {
                logger.LogError("Endpoint {Route} of plugin {Plugin} is left out: a route is literal segments and {{name}} parameters, such as forms/{{formId}}.", endpoint.Route, pluginId);
            }
            else if (routes.Any(r => r.Endpoint.Method == endpoint.Method && r.Template.Equals(string.Join('/', segments), StringComparison.OrdinalIgnoreCase)))
            {
                logger.LogError("Endpoint {Method} {Route} of plugin {Plugin} is left out: the plugin declares it twice.", endpoint.Method, endpoint.Route, pluginId);
            }
            else
            {
                routes.Add(new Route(pluginId, endpoint, segments));
            }
        }

        return byPlugin;
    }

    /// <summary>What a request path under /p/&lt;plugin&gt;/ names.</summary>
    public Match Find(string pluginId, string? path, EndpointMethod method)
    {
        if (!_byPlugin().TryGetValue(pluginId, out var routes))
        {
            return new Match(null, null, false);
        }

        var segments = (path ?? string.Empty).Split('/');
        var other = false;
        foreach (var route in routes)
        {
            if (route.Bind(segments) is { } values)
            {
                if (route.Endpoint.Method == method)
                {
                    return new Match(route, values, false);
                }

                other = true;
            }
        }

        return new Match(null, null, other);
    }

    private static string[]? Parse(string? template)
    {
        var segments = (template ?? string.Empty).Trim('/').Split('/');
        return segments.All(s => Segment().IsMatch(s)) ? segments : null;
    }

    [GeneratedRegex(@"^(\{[A-Za-z][A-Za-z0-9_]*\}|[A-Za-z0-9._~-]+)$")]
    private static partial Regex Segment();

    /// <summary>A request's endpoint: the route and its parameters, or none (<see cref="OtherMethod"/> when the path exists for the other method).</summary>
    public sealed record Match(Route? Route, IReadOnlyDictionary<string, string>? Values, bool OtherMethod);

    /// <summary>One plugin endpoint and its parsed route.</summary>
    public sealed class Route(string pluginId, IPublicEndpoint endpoint, string[] segments)
    {
        public string PluginId { get; } = pluginId;

        public IPublicEndpoint Endpoint { get; } = endpoint;

        public string Template { get; } = string.Join('/', segments);

        public IReadOnlyDictionary<string, string>? Bind(string[] path)
        {
            if (path.Length != segments.Length)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < segments.Length; i++)
            {
                if (segments[i].StartsWith('{'))
                {
                    if (path[i].Length == 0)
                    {
                        return null;
                    }

                    values[segments[i][1..^1]] = Uri.UnescapeDataString(path[i]);
                }
                else if (!segments[i].Equals(path[i], StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }

            return values;
        }
    }
}
