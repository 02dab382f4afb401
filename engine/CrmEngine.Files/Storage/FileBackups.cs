using System.IO.Compression;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files.Uploads;

namespace CrmEngine.Files.Storage;

/// <summary>
/// A tenant backup's file contents: a ZIP beside the store's backup (<c>&lt;backup&gt;.files</c>), one
/// entry per file named by its id; none for a tenant without files. A restore puts them back and
/// removes contents the backup did not have (files uploaded after it, whose metadata the restored
/// store no longer holds), so the tenant's files are exactly those of the backup.
/// </summary>
internal sealed class FileBackups(IFileStorage storage, DataDirectory data) : ITenantBackupPart
{
    public string Suffix => ".files";

    public async Task BackupAsync(string tenantId, string file, CancellationToken cancellationToken)
    {
        FileStream? output = null;
        ZipArchive? zip = null;
        try
        {
            await foreach (var id in storage.ListAsync(tenantId, cancellationToken))
            {
                if (zip is null)
                {
                    OwnerOnlyFile.CreateForBackup(file);
                    output = new FileStream(file, FileMode.Open, FileAccess.Write);
                    zip = new ZipArchive(output, ZipArchiveMode.Create);
                }

                await AddAsync(zip, tenantId, id, cancellationToken);
            }
        }
        finally
        {
            zip?.Dispose();
            if (output is not null)
            {
                await output.DisposeAsync();
            }
        }
    }

    public async Task RestoreAsync(string tenantId, string file, CancellationToken cancellationToken)
    {
        var kept = new HashSet<Guid>();
        var staging = LocalFileStorage.StagingDirectory(data);
        Directory.CreateDirectory(staging);
        using (var zip = File.Exists(file) ? ZipFile.OpenRead(file) : null)
        {
            foreach (var entry in zip?.Entries ?? [])
            {
                if (!Guid.TryParseExact(entry.Name, "N", out var id))
                {
                    continue;
                }

                var path = Path.Combine(staging, Guid.NewGuid().ToString("N"));
                entry.ExtractToFile(path);
                using var staged = new StagedFile(path, id.ToString("N"), ContentSniffer.OctetStream, entry.Length, string.Empty);
                await storage.PutAsync(tenantId, id, staged, cancellationToken);
                kept.Add(id);
            }
        }

        var stale = new List<Guid>();
        await foreach (var id in storage.ListAsync(tenantId, cancellationToken))
        {
            if (!kept.Contains(id))
            {
                stale.Add(id);
            }
        }

        foreach (var id in stale)
        {
            await storage.DeleteAsync(tenantId, id, cancellationToken);
        }
    }

    private async Task AddAsync(ZipArchive zip, string tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var content = await storage.OpenAsync(tenantId, id, cancellationToken);
        if (content is null)
        {
            return;
        }

        await using var entry = zip.CreateEntry(id.ToString("N"), CompressionLevel.Fastest).Open();
        await content.CopyToAsync(entry, cancellationToken);
    }
}
