using System.Runtime.CompilerServices;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Files.Storage;

/// <summary>
/// File contents on local disk: <c>&lt;data&gt;/files/&lt;tenant&gt;/&lt;first two hex digits&gt;/&lt;id&gt;</c>. A
/// staged upload (written beside, under <c>files/.staging</c>) is moved into place, so storing costs
/// no copy.
/// </summary>
public sealed class LocalFileStorage(DataDirectory data) : IFileStorage
{
    private readonly string _root = Path.Combine(data.Path, "files");

    public Task PutAsync(string tenantId, Guid fileId, Uploads.StagedFile content, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId, fileId);
        // Owner-only, as the data directory and the tenants' stores are.
        OwnerOnlyFile.CreateDirectory(Path.GetDirectoryName(path)!);
        content.MoveTo(path);
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenAsync(string tenantId, Guid fileId, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId, fileId);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true) : null);
    }

    public Task DeleteAsync(string tenantId, Guid fileId, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(tenantId, fileId));
        return Task.CompletedTask;
    }

    public Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var directory = TenantDirectory(tenantId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<Guid> ListAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = TenantDirectory(tenantId);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Guid.TryParseExact(Path.GetFileName(file), "N", out var id))
            {
                yield return id;
            }
        }

        await Task.CompletedTask;
    }

    /// <summary>The staging directory of uploads, on the same disk as the files so a store is a move.</summary>
    public static string StagingDirectory(DataDirectory data) => Path.Combine(data.Path, "files", ".staging");

    private string TenantDirectory(string tenantId)
    {
        // Tenant ids are the catalog's (letters, digits, dashes); refuse anything that could leave the root.
        if (tenantId.Length == 0 || tenantId != Path.GetFileName(tenantId) || tenantId.StartsWith('.'))
        {
            throw new ArgumentException($"'{tenantId}' is not a tenant id.", nameof(tenantId));
        }

        return Path.Combine(_root, tenantId);
    }

    private string PathOf(string tenantId, Guid fileId)
    {
        var name = fileId.ToString("N");
        return Path.Combine(TenantDirectory(tenantId), name[..2], name);
    }
}
