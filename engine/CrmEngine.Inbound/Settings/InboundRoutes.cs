using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Inbound.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Inbound.Settings;

/// <summary>
/// Which tenant an address belongs to: an address a tenant lists, else the domain a tenant lists.
/// Read from every tenant's inbound settings and kept for <see cref="InboundOptions.RoutesLifetime"/>
/// (a change on this host shows at once; one on another host after that long).
/// </summary>
public sealed class InboundRoutes(TenantCatalog catalog, TenantRegistry tenants, IOptions<InboundOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Map? _map;

    /// <summary>The tenant that accepts mail for <paramref name="address"/>, or null.</summary>
    public async Task<string?> TenantOfAsync(string address, CancellationToken cancellationToken)
    {
        var map = await CurrentAsync(cancellationToken);
        var normalized = address.Trim().ToLowerInvariant();
        if (map.Addresses.TryGetValue(normalized, out var tenant))
        {
            return tenant;
        }

        var at = normalized.LastIndexOf('@');
        return at > 0 && map.Domains.TryGetValue(normalized[(at + 1)..], out tenant) ? tenant : null;
    }

    /// <summary>Forgets the map (a tenant's settings changed on this host).</summary>
    public void Invalidate() => _map = null;

    /// <summary>The domains and addresses another tenant already claims, as errors.</summary>
    public async Task<IReadOnlyList<CrmError>> ConflictsAsync(string tenantId, IEnumerable<string> domains, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        Invalidate();
        var map = await CurrentAsync(cancellationToken);
        return [
            .. Taken(domains, map.Domains, "domains"),
            .. Taken(addresses, map.Addresses, "addresses"),
        ];

        IEnumerable<CrmError> Taken(IEnumerable<string> values, Dictionary<string, string> claimed, string field) =>
            values.Where(v => claimed.TryGetValue(v, out var owner) && owner != tenantId)
                .Select(v => new CrmError(ErrorCodes.NameTaken, $"'{v}' is another tenant's: each domain and address routes to one tenant.", field));
    }

    /// <summary>A comma-separated list's values.</summary>
    public static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<Map> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_map is { } fresh && time.GetUtcNow() < fresh.Expires)
        {
            return fresh;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_map is { } loaded && time.GetUtcNow() < loaded.Expires)
            {
                return loaded;
            }

            var map = new Map(time.GetUtcNow() + options.Value.RoutesLifetime);
            foreach (var tenant in await catalog.ListTenantsAsync(cancellationToken))
            {
                var store = await tenants.GetAsync(tenant.Id, cancellationToken);
                await using var context = store.CreateContext();
                if (await context.Set<InboundSettingsRow>().FirstOrDefaultAsync(cancellationToken) is not { } settings)
                {
                    continue;
                }

                foreach (var domain in Split(settings.Domains))
                {
                    map.Domains.TryAdd(domain, tenant.Id);
                }

                foreach (var address in Split(settings.Addresses))
                {
                    map.Addresses.TryAdd(address, tenant.Id);
                }
            }

            _map = map;
            return map;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private sealed class Map(DateTimeOffset expires)
    {
        public DateTimeOffset Expires { get; } = expires;

        public Dictionary<string, string> Domains { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Addresses { get; } = new(StringComparer.Ordinal);
    }
}
