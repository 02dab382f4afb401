using System.Buffers;
using System.Security.Cryptography;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files.Storage;

namespace CrmEngine.Files.Uploads;

/// <summary>
/// Receives an upload's bytes as they arrive: written to the staging disk in small buffers (never the
/// whole file in memory), counted against the tenant's limit (refused with FILE_TOO_LARGE as soon as
/// it passes it), hashed, and its type sniffed from the first bytes and checked against the tenant's
/// allowed types (FILE_TYPE_NOT_ALLOWED). A refused upload leaves nothing behind.
/// </summary>
public sealed class UploadStager(DataDirectory data)
{
    private const int BufferBytes = 81920;

    private readonly string _directory = LocalFileStorage.StagingDirectory(data);

    public async Task<StagedFile> StageAsync(Stream source, string? clientName, FileLimits limits, CancellationToken cancellationToken)
    {
        OwnerOnlyFile.CreateDirectory(_directory);
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        var head = new byte[ContentSniffer.HeadBytes];
        var headLength = 0;
        long size = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > limits.MaxBytes)
                    {
                        throw new CrmException(ErrorCodes.FileTooLarge, $"The file '{clientName}' is larger than the {limits.MaxBytes} bytes allowed.");
                    }

                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            var type = ContentSniffer.Sniff(head.AsSpan(0, headLength));
            if (!limits.Allows(type))
            {
                throw new CrmException(ErrorCodes.FileTypeNotAllowed, $"The file '{clientName}' is {type}, which this tenant does not accept.");
            }

            return new StagedFile(path, DisplayName(clientName), type, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The client's name reduced to a display name: no directories, no control characters, at most 255 characters.</summary>
    public static string DisplayName(string? clientName)
    {
        var name = Path.GetFileName((clientName ?? string.Empty).Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > 255)
        {
            name = name[^255..];
        }

        return name.Length == 0 ? "file" : name;
    }
}
