using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Tenancy;

/// <summary>A newly issued API key. <see cref="Key"/> is shown once and never stored.</summary>
public sealed record IssuedApiKey(string Id, string Key, string TenantId, Guid UserId);

/// <summary>
/// The catalog of tenants and API keys (in <c>catalog.db</c> on SQLite, the <c>crm_catalog</c> schema on
/// PostgreSQL; <see cref="IStoreManager"/> says where): creates tenants and their stores, issues keys
/// and turns a presented key into a principal.
/// </summary>
public sealed partial class TenantCatalog
{
    private readonly CrmEngineOptions _options;
    private readonly IStoreManager _stores;
    private readonly SystemSchemaUpgrader _upgrader;
    private readonly TimeProvider _time;
    private readonly ChangeFeed _changes;
    private readonly DbContextOptions<CatalogDbContext> _catalogOptions;
    private readonly ConcurrentDictionary<string, (CrmPrincipal Principal, DateTime Until)> _verifiedKeys = new();

    public TenantCatalog(IOptions<CrmEngineOptions> options, IStoreManager stores, SystemSchemaUpgrader upgrader, ChangeFeed changes, TimeProvider time)
    {
        _time = time;
        _options = options.Value;
        _stores = stores;
        _upgrader = upgrader;
        _changes = changes;
        var builder = new DbContextOptionsBuilder<CatalogDbContext>();
        stores.ConfigureCatalog(builder);
        _catalogOptions = builder.Options;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdPattern();

    public CatalogDbContext CreateContext() => new(_catalogOptions);

    /// <summary>Creates the catalog on first use. True when it did not exist before.</summary>
    public Task<bool> EnsureCreatedAsync(CancellationToken cancellationToken) => _stores.EnsureCatalogAsync(cancellationToken);

    public async Task<TenantRow?> FindTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        return await context.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
    }

    public async Task<IReadOnlyList<TenantRow>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        return await context.Tenants.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The tenants whose stores answer yes to <paramref name="probe"/>, or can't say
    /// (<see cref="IStoreManager.StoresWithDueWorkAsync"/>): what a background sweep has to open.
    /// </summary>
    public async Task<IReadOnlyList<string>> TenantsWithDueWorkAsync(Coordination.DueWorkProbe probe, CancellationToken cancellationToken)
    {
        var tenants = await ListTenantsAsync(cancellationToken);
        var stores = (await _stores.StoresWithDueWorkAsync(tenants.Select(t => t.Store).ToList(), probe, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return tenants.Where(t => stores.Contains(t.Store)).Select(t => t.Id).ToList();
    }

    /// <summary>Creates a tenant with an empty store holding the engine's tables, where new tenants go by default.</summary>
    public Task<TenantRow> CreateTenantAsync(string tenantId, string displayName, CancellationToken cancellationToken) =>
        CreateTenantAsync(tenantId, displayName, null, cancellationToken);

    /// <summary>
    /// Creates a tenant with an empty store holding the engine's tables. <paramref name="placement"/>
    /// names the PostgreSQL server it goes to (null: the configured default).
    /// </summary>
    public async Task<TenantRow> CreateTenantAsync(string tenantId, string displayName, string? placement, CancellationToken cancellationToken)
    {
        await CheckNewTenantIdAsync(tenantId, cancellationToken);
        var store = await _stores.CreateStoreAsync(tenantId, placement, cancellationToken);
        try
        {
            await _upgrader.CreateAsync(await _stores.ConnectionStringAsync(store, cancellationToken), cancellationToken);
            var row = new TenantRow { Id = tenantId, DisplayName = displayName, Store = store, CreatedAt = _time.UtcNow() };
            await using var catalog = CreateContext();
            catalog.Tenants.Add(row);
            await catalog.SaveChangesAsync(cancellationToken);
            return row;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever failed (another host created the same tenant a moment earlier, say), the store made here goes.
            await _stores.DeleteStoreAsync(store, CancellationToken.None);
            if (e is DbUpdateException)
            {
                throw new CrmException(ErrorCodes.NameTaken, $"A tenant '{tenantId}' already exists.");
            }

            throw;
        }
    }

    /// <summary>
    /// Refuses an id a new tenant can't have: <c>INVALID_NAME</c> for a malformed one, <c>NAME_TAKEN</c>
    /// for one in use (a batch checks all its ids this way before it creates any).
    /// </summary>
    public async Task CheckNewTenantIdAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!TenantIdPattern().IsMatch(tenantId))
        {
            throw new CrmException(ErrorCodes.InvalidName, $"Tenant id '{tenantId}' must be 2 to 40 lower-case letters, digits or dashes, starting with a letter.");
        }

        if (await FindTenantAsync(tenantId, cancellationToken) is not null)
        {
            throw new CrmException(ErrorCodes.NameTaken, $"A tenant '{tenantId}' already exists.");
        }
    }

    /// <summary>
    /// Deletes a tenant: its catalog entry and keys first (so nothing opens it again), then its
    /// store with all its data. Hosts holding it open are told to let go.
    /// </summary>
    public async Task<TenantRow> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await FindTenantAsync(tenantId, cancellationToken) ?? throw NoTenant(tenantId);
        await using (var context = CreateContext())
        {
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            await context.ApiKeys.Where(k => k.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            await context.Tenants.Where(t => t.Id == tenantId).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        ForgetKeys(p => p.TenantId == tenantId);
        await _changes.PublishAsync(new ChangeEvent(ChangeKinds.TenantRemoved, tenantId), cancellationToken);
        await _stores.DeleteStoreAsync(tenant.Store, cancellationToken);
        return tenant;
    }

    /// <summary>The connection string of a tenant's store.</summary>
    public Task<string> ConnectionStringAsync(TenantRow tenant, CancellationToken cancellationToken) => _stores.ConnectionStringAsync(tenant.Store, cancellationToken);

    internal static CrmException NoTenant(string tenantId) => new(ErrorCodes.NotFound, $"There is no tenant '{tenantId}'.");

    public async Task<IssuedApiKey> CreateApiKeyAsync(string tenantId, string name, IReadOnlyList<string> roles, Guid? userId, DateTime? expiresAt, CancellationToken cancellationToken)
    {
        var (id, secret, key) = ApiKeyFormat.Generate();
        var row = new ApiKeyRow
        {
            Id = id,
            TenantId = tenantId,
            UserId = userId ?? Guid.CreateVersion7(),
            Name = name,
            SecretHash = ApiKeyFormat.Hash(secret),
            Roles = string.Join(',', roles),
            CreatedAt = _time.UtcNow(),
            ExpiresAt = expiresAt,
        };
        await using var context = CreateContext();
        context.ApiKeys.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey(id, key, tenantId, row.UserId);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        return await context.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="userId"/> is the identity one of the tenant's working keys acts as (an
    /// integration's own identity, or a user's). One indexed query.
    /// </summary>
    public async Task<bool> IsKeyIdentityAsync(string tenantId, Guid userId, CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        var expiries = await context.ApiKeys.AsNoTracking()
            .Where(k => k.TenantId == tenantId && k.UserId == userId && k.RevokedAt == null)
            .Select(k => k.ExpiresAt)
            .ToListAsync(cancellationToken);
        var now = _time.UtcNow();
        return expiries.Any(e => e is null || e > now);
    }

    /// <summary>Revokes a tenant's key at once: this process forgets it immediately, and the catalog refuses it from now on.</summary>
    public async Task<ApiKeyRow> RevokeApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        var key = await context.ApiKeys.AsTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken)
            ?? throw new CrmException(ErrorCodes.NotFound, $"There is no API key {keyId}.", "id");
        key.RevokedAt ??= _time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        await _changes.PublishAsync(new ChangeEvent(ChangeKinds.KeyRevoked, tenantId, Subject: keyId), cancellationToken);
        return key;
    }

    /// <summary>Drops verified keys from this process's cache, so the catalog is asked again.</summary>
    public void ForgetKeys(Func<CrmPrincipal, bool> which)
    {
        foreach (var cached in _verifiedKeys.Where(k => which(k.Value.Principal)).ToList())
        {
            _verifiedKeys.TryRemove(cached.Key, out _);
        }
    }

    /// <summary>The principal a presented key stands for, or null for a malformed, unknown, revoked or expired key.</summary>
    public async Task<CrmPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var id, out var secret))
        {
            return null;
        }

        var now = _time.UtcNow();
        var cacheKey = ApiKeyFormat.Hash(presentedKey);
        if (_verifiedKeys.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            return cached.Principal;
        }

        await using var context = CreateContext();
        var row = await context.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } expires && expires <= now) || !ApiKeyFormat.Matches(secret, row.SecretHash))
        {
            _verifiedKeys.TryRemove(cacheKey, out _);
            return null;
        }

        var principal = new CrmPrincipal(row.TenantId, row.UserId, row.Id, row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
        var until = now + _options.ApiKeyCacheDuration;
        if (row.ExpiresAt is { } keyExpiry && keyExpiry < until)
        {
            until = keyExpiry;
        }

        _verifiedKeys[cacheKey] = (principal, until);
        return principal;
    }
}
