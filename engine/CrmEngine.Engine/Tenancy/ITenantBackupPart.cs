namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Tenant data kept outside the tenant's store (file contents) that a backup must carry: written
/// beside the store's backup file, as <c>&lt;backup&gt;.&lt;Suffix&gt;</c> (owner-only, see
/// <see cref="OwnerOnlyFile.CreateForBackup"/>) when the tenant has any, and put back by a restore,
/// which is told of the part's file even when the backup has none (the tenant had no such data then).
/// </summary>
public interface ITenantBackupPart
{
    /// <summary>What the part's file adds to the backup file's name (".files").</summary>
    string Suffix { get; }

    /// <summary>Writes the tenant's data to <paramref name="file"/> (a new owner-only file), or nothing when it has none.</summary>
    Task BackupAsync(string tenantId, string file, CancellationToken cancellationToken);

    /// <summary>Makes the tenant's data what <paramref name="file"/> holds: nothing when there is no such file.</summary>
    Task RestoreAsync(string tenantId, string file, CancellationToken cancellationToken);
}
