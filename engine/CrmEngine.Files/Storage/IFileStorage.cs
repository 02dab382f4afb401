namespace CrmEngine.Files.Storage;

/// <summary>
/// Where file contents live, keyed by tenant and file id only (never by a name a client gave).
/// Local disk by default (<see cref="LocalFileStorage"/>), an S3-compatible bucket when configured
/// (<see cref="S3FileStorage"/>).
/// </summary>
public interface IFileStorage
{
    /// <summary>Stores the content of a staged upload under the file's id (the staged file may be moved, not copied).</summary>
    Task PutAsync(string tenantId, Guid fileId, Uploads.StagedFile content, CancellationToken cancellationToken);

    /// <summary>The content of a file, or null when the storage has none.</summary>
    Task<Stream?> OpenAsync(string tenantId, Guid fileId, CancellationToken cancellationToken);

    /// <summary>Removes a file's content; nothing happens when there is none.</summary>
    Task DeleteAsync(string tenantId, Guid fileId, CancellationToken cancellationToken);

    /// <summary>Removes every file of a tenant.</summary>
    Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The ids of every file the storage holds for a tenant (backups, audits).</summary>
    IAsyncEnumerable<Guid> ListAsync(string tenantId, CancellationToken cancellationToken);
}
