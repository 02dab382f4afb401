using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Security;

/// <summary>
/// One <see cref="JwtKeyRing"/> per configured issuer (the global settings and each tenant's), made
/// on first use and kept, so keys are parsed and fetched once, not per request. A configuration
/// reload retires the rings (and disposes their keys); the next requests build them anew.
/// </summary>
public sealed class JwtKeyRings : IDisposable
{
    /// <summary>The HttpClient that fetches discovery documents and key sets.</summary>
    public const string HttpClientName = "crm-jwks";

    private readonly Dictionary<JwtSettings, JwtKeyRing> _rings = new(ReferenceEqualityComparer.Instance);
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable? _reloads;

    public JwtKeyRings(IOptionsMonitor<JwtOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<JwtKeyRings> logger)
    {
        _http = http;
        _time = time;
        _logger = logger;
        _reloads = options.OnChange(_ => Retire());
    }

    internal JwtKeyRing For(JwtSettings settings)
    {
        lock (_rings)
        {
            if (!_rings.TryGetValue(settings, out var ring))
            {
                ring = new JwtKeyRing(settings, _http.CreateClient(HttpClientName), _time, _logger);
                _rings.Add(settings, ring);
            }

            return ring;
        }
    }

    public void Dispose()
    {
        _reloads?.Dispose();
        Retire();
    }

    private void Retire()
    {
        lock (_rings)
        {
            foreach (var ring in _rings.Values)
            {
                ring.Dispose();
            }

            _rings.Clear();
        }
    }
}
