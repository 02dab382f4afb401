using System.Collections.Concurrent;
using System.Collections.Frozen;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.CrossOrigin;

/// <summary>
/// The browser origins allowed to call the API: the host's own list, and each tenant's (a tenant
/// setting in its store), kept in memory so that no request reads them from a store. Every tenant's
/// list is read once, when the first cross-origin request arrives; after that each change reaches
/// this host as a <see cref="ChangeKinds.Settings"/> event, from this host or another.
/// </summary>
public sealed class AllowedOrigins : IChangeHandler
{
    private readonly FrozenSet<string> _everyTenant;
    private readonly TenantCatalog _catalog;
    private readonly TenantRegistry _tenants;
    private readonly TenantSettings _settings;
    private readonly ILogger<AllowedOrigins> _logger;
    private readonly ConcurrentDictionary<string, FrozenSet<string>> _byTenant = new(StringComparer.Ordinal);
    private readonly Lock _loading = new();
    private volatile FrozenSet<string> _anyTenant = FrozenSet<string>.Empty;
    private Task? _loaded;

    public AllowedOrigins(IOptions<CrossOriginOptions> options, TenantCatalog catalog, TenantRegistry tenants, TenantSettings settings, ILogger<AllowedOrigins> logger)
    {
        (_catalog, _tenants, _settings, _logger) = (catalog, tenants, settings, logger);
        var everyTenant = new HashSet<string>(StringComparer.Ordinal);
        foreach (var configured in options.Value.AllowedOrigins)
        {
            if (BrowserOrigin.Normalize(configured) is { } origin)
            {
                everyTenant.Add(origin);
            }
            else
            {
                logger.LogError("{Section}:AllowedOrigins has '{Origin}', which is not an origin (scheme://host[:port], no path or wildcard); it is ignored.", CrossOriginOptions.Section, configured);
            }
        }

        _everyTenant = everyTenant.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Allowed for every tenant by the host's configuration.</summary>
    public bool ForEveryTenant(string origin) => _everyTenant.Contains(origin);

    /// <summary>Allowed by at least one tenant: enough to answer a preflight, which carries no key.</summary>
    public async ValueTask<bool> ForSomeTenantAsync(string origin, CancellationToken cancellationToken)
    {
        await LoadedAsync(cancellationToken);
        return _anyTenant.Contains(origin);
    }

    /// <summary>Allowed by this tenant's own list.</summary>
    public async ValueTask<bool> ForTenantAsync(string tenantId, string origin, CancellationToken cancellationToken)
    {
        await LoadedAsync(cancellationToken);
        return _byTenant.TryGetValue(tenantId, out var origins) && origins.Contains(origin);
    }

    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case ChangeKinds.Settings or ChangeKinds.TenantReplaced when change.TenantId is { } tenant && _loaded is not null:
                await ReadAsync(tenant, cancellationToken);
                break;
            case ChangeKinds.TenantRemoved when change.TenantId is { } tenant:
                _byTenant.TryRemove(tenant, out _);
                Publish();
                break;
            case ChangeKinds.Resync:
                lock (_loading)
                {
                    _loaded = null;
                }

                break;
        }
    }

    private Task LoadedAsync(CancellationToken cancellationToken)
    {
        var loaded = _loaded;
        if (loaded is null || loaded.IsFaulted)
        {
            lock (_loading)
            {
                if (_loaded is null || _loaded.IsFaulted)
                {
                    _loaded = LoadAllAsync();
                }

                loaded = _loaded;
            }
        }

        return loaded.WaitAsync(cancellationToken);
    }

    private async Task LoadAllAsync()
    {
        foreach (var tenant in await _catalog.ListTenantsAsync(CancellationToken.None))
        {
            await ReadAsync(tenant.Id, CancellationToken.None);
        }
    }

    private async Task ReadAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            var store = await _tenants.GetAsync(tenantId, cancellationToken);
            _byTenant[tenantId] = (await _settings.AllowedOriginsAsync(store, cancellationToken)).ToFrozenSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One tenant's store out of reach must not keep the others' pages out.
            _logger.LogError(e, "The allowed browser origins of tenant {Tenant} could not be read; its pages are refused until they are.", tenantId);
            _byTenant.TryRemove(tenantId, out _);
        }

        Publish();
    }

    private void Publish()
    {
        lock (_byTenant)
        {
            _anyTenant = _byTenant.Values.SelectMany(o => o).ToFrozenSet(StringComparer.Ordinal);
        }
    }
}
