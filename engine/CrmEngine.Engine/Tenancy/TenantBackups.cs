using CrmEngine.Engine.Coordination;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Backs up and restores one tenant's store as a unit (its metadata, records, rules, roles, audit
/// trail and outbox), through the store manager's own means: SQLite's online backup API, or
/// pg_dump and pg_restore of the tenant's schema. A restore puts the tenant back as it was when the
/// backup was taken; every host lets go of what it cached about it, and a backup taken by an older
/// engine has its system tables upgraded when the tenant is next opened. Data kept outside the
/// store (file contents) goes in files beside the backup (<see cref="ITenantBackupPart"/>).
/// </summary>
public sealed class TenantBackups(TenantCatalog catalog, TenantRegistry tenants, IStoreManager stores, IWorkLeases leases, ChangeFeed changes, IEnumerable<ITenantBackupPart> parts)
{
    /// <summary>
    /// Writes a backup of a tenant's store to a new file, while the tenant stays in use. The file holds
    /// every record and hashed key, so it is created readable by its owner only before the store
    /// writes into it; a backup that fails leaves no file behind.
    /// </summary>
    public async Task BackupAsync(string tenantId, string file, CancellationToken cancellationToken)
    {
        var tenant = await catalog.FindTenantAsync(tenantId, cancellationToken) ?? throw TenantCatalog.NoTenant(tenantId);
        var path = Path.GetFullPath(file);
        OwnerOnlyFile.CreateForBackup(path);
        try
        {
            await stores.BackupAsync(tenant.Store, path, cancellationToken);
            foreach (var part in parts)
            {
                await part.BackupAsync(tenantId, path + part.Suffix, cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            foreach (var part in parts)
            {
                File.Delete(path + part.Suffix);
            }

            throw;
        }
    }

    /// <summary>
    /// Replaces a tenant's store with a backup of it. Meant for a quiet tenant: writes made while the
    /// restore runs are lost with the state they were made on.
    /// </summary>
    public async Task RestoreAsync(string tenantId, string file, CancellationToken cancellationToken)
    {
        var tenant = await catalog.FindTenantAsync(tenantId, cancellationToken) ?? throw TenantCatalog.NoTenant(tenantId);
        await using (await leases.AcquireAsync("restore:" + tenantId, cancellationToken))
        {
            tenants.Evict(tenantId);
            var path = Path.GetFullPath(file);
            await stores.RestoreAsync(tenant.Store, path, cancellationToken);
            foreach (var part in parts)
            {
                await part.RestoreAsync(tenantId, path + part.Suffix, cancellationToken);
            }
        }

        await changes.PublishAsync(new ChangeEvent(ChangeKinds.TenantReplaced, tenantId), cancellationToken);
        // Opening it now checks the restored store and brings an older backup's system tables up to date.
        await tenants.GetAsync(tenantId, cancellationToken);
    }
}
