using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Brings a tenant store's system tables up to this process's versions when it is opened: the model
/// of the versions the store records is diffed against the current one, and the DDL runs with the
/// new versions in one transaction. Stores already current cost one small query.
/// </summary>
public sealed class SystemSchemaUpgrader(TenantModelFactory factory, SchemaMigrator migrator, IWorkLeases leases, TimeProvider time, ILogger<SystemSchemaUpgrader> logger)
{
    private readonly Lazy<IModel> _current = new(() => factory.BuildForDiff(MetadataSnapshot.Empty, ModelScope.System));

    /// <summary>Creates the system tables of a new store at the current versions.</summary>
    public Task CreateAsync(string connectionString, CancellationToken cancellationToken) =>
        UpgradeFromAsync(connectionString, new Dictionary<string, int>(), isNew: true, cancellationToken);

    public async Task UpgradeAsync(string tenantId, TenantDbContext context, string connectionString, CancellationToken cancellationToken)
    {
        if (await IsCurrentAsync(context, cancellationToken))
        {
            return;
        }

        // Hosts opening the same old store at once take turns; the later ones find it upgraded.
        await using var lease = await leases.AcquireAsync("upgrade:" + tenantId, cancellationToken);
        var stored = await StoredVersionsAsync(context, cancellationToken);
        if (IsCurrent(stored))
        {
            return;
        }

        logger.LogInformation("Upgrading the system tables of tenant {Tenant} from {From} to {To}.", tenantId,
            string.Join(',', stored.Select(s => $"{s.Key}:{s.Value}")), factory.System.Signature);
        await UpgradeFromAsync(connectionString, stored, isNew: false, cancellationToken);
    }

    private async Task<bool> IsCurrentAsync(TenantDbContext context, CancellationToken cancellationToken) =>
        IsCurrent(await StoredVersionsAsync(context, cancellationToken));

    private bool IsCurrent(Dictionary<string, int> stored) => factory.System.CurrentVersions.All(c => stored.GetValueOrDefault(c.Key) >= c.Value);

    private static Task<Dictionary<string, int>> StoredVersionsAsync(TenantDbContext context, CancellationToken cancellationToken) =>
        context.Set<SystemSchemaRow>().AsNoTracking().ToDictionaryAsync(r => r.Name, r => r.Version, cancellationToken);

    private async Task UpgradeFromAsync(string connectionString, Dictionary<string, int> stored, bool isNew, CancellationToken cancellationToken)
    {
        // Every new store gets the same tables: the model and its DDL are built once per process.
        var to = _current.Value;
        var plan = isNew ? migrator.PlanNewSystemTables() : migrator.Plan(factory.BuildForDiff(MetadataSnapshot.Empty, ModelScope.System, stored), to);
        await factory.Provider.MigrateAsync(connectionString, oldModel: null, newModel: to, plan, before: null,
            after: async context =>
            {
                var rows = context.Set<SystemSchemaRow>();
                foreach (var (name, version) in factory.System.CurrentVersions)
                {
                    if (stored.ContainsKey(name))
                    {
                        rows.Update(new SystemSchemaRow { Name = name, Version = version });
                    }
                    else
                    {
                        rows.Add(new SystemSchemaRow { Name = name, Version = version });
                    }
                }

                if (isNew)
                {
                    context.Set<MetadataStateRow>().Add(new MetadataStateRow { Id = 1, Version = 0, UpdatedAt = time.UtcNow() });
                }

                await context.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);
    }
}
