using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Tenancy;

/// <summary>A newly issued API key. <see cref="Key"/> is shown once and never stored.</summary>
public sealed record IssuedApiKey(string Id, string Key, string TenantId, Guid UserId);

/// <summary>
/// The catalog of tenants and API keys, in <c>catalog.db</c> in the data directory: creates tenants
/// (and their stores), issues keys and turns a presented key into a principal.
/// </summary>
public sealed partial class TenantCatalog
{
    private readonly CrmEngineOptions _options;
    private readonly DataDirectory _dataDirectory;
    private readonly SystemSchemaUpgrader _upgrader;
    private readonly DbContextOptions<CatalogDbContext> _catalogOptions;
    private readonly ConcurrentDictionary<string, (CrmPrincipal Principal, DateTime Until)> _verifiedKeys = new();

    public TenantCatalog(IOptions<CrmEngineOptions> options, DataDirectory dataDirectory, SystemSchemaUpgrader upgrader)
    {
        _options = options.Value;
        _dataDirectory = dataDirectory;
        _upgrader = upgrader;
        _catalogOptions = new DbContextOptionsBuilder<CatalogDbContext>()
            .UseSqlite(SqliteStorageProvider.ConnectionStringFor(Path.Combine(dataDirectory.Path, "catalog.db")))
            .Options;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdPattern();

    public CatalogDbContext CreateContext() => new(_catalogOptions);

    /// <summary>Creates the catalog on first use. True when it did not exist before.</summary>
    public async Task<bool> EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory.Path);
        await using var context = CreateContext();
        var created = await context.Database.EnsureCreatedAsync(cancellationToken);
        if (created)
        {
            await SqliteStorageProvider.InitializeFileAsync(context.Database.GetConnectionString()!, cancellationToken);
        }

        return created;
    }

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

    /// <summary>Creates a tenant with an empty store holding the engine's tables.</summary>
    public async Task<TenantRow> CreateTenantAsync(string tenantId, string displayName, CancellationToken cancellationToken)
    {
        if (!TenantIdPattern().IsMatch(tenantId))
        {
            throw new CrmException(ErrorCodes.InvalidName, $"Tenant id '{tenantId}' must be 2 to 40 lower-case letters, digits or dashes, starting with a letter.");
        }

        if (await FindTenantAsync(tenantId, cancellationToken) is not null)
        {
            throw new CrmException(ErrorCodes.NameTaken, $"A tenant '{tenantId}' already exists.");
        }

        var store = Path.Combine("tenants", tenantId + ".db");
        var path = Path.Combine(_dataDirectory.Path, store);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            throw new CrmException(ErrorCodes.NameTaken, $"A store for tenant '{tenantId}' already exists at {path}; move it away first.");
        }

        var connectionString = SqliteStorageProvider.ConnectionStringFor(path);
        await SqliteStorageProvider.InitializeFileAsync(connectionString, cancellationToken);
        await _upgrader.CreateAsync(connectionString, cancellationToken);

        var row = new TenantRow { Id = tenantId, DisplayName = displayName, Store = store, CreatedAt = DateTime.UtcNow };
        await using var catalog = CreateContext();
        catalog.Tenants.Add(row);
        await catalog.SaveChangesAsync(cancellationToken);
        return row;
    }

    public string ConnectionStringFor(TenantRow tenant) =>
        SqliteStorageProvider.ConnectionStringFor(Path.Combine(_dataDirectory.Path, tenant.Store));

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
            CreatedAt = DateTime.UtcNow,
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

    /// <summary>Revokes a tenant's key at once: this process forgets it immediately, and the catalog refuses it from now on.</summary>
    public async Task<ApiKeyRow> RevokeApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        await using var context = CreateContext();
        var key = await context.ApiKeys.AsTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken)
            ?? throw new CrmException(ErrorCodes.NotFound, $"There is no API key {keyId}.", "id");
        key.RevokedAt ??= Clock.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        foreach (var cached in _verifiedKeys.Where(k => k.Value.Principal.KeyId == keyId).ToList())
        {
            _verifiedKeys.TryRemove(cached.Key, out _);
        }

        return key;
    }

    /// <summary>The principal a presented key stands for, or null for a malformed, unknown, revoked or expired key.</summary>
    public async Task<CrmPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var id, out var secret))
        {
            return null;
        }

        var now = DateTime.UtcNow;
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
