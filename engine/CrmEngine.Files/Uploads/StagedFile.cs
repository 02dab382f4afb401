namespace CrmEngine.Files.Uploads;

/// <summary>
/// An uploaded file received in full and checked (size, sniffed type), waiting on the staging disk
/// for the operation that stores it: the value of an <c>Upload</c> argument. Deleted when the request
/// ends unless a storage moved it away.
/// </summary>
public sealed class StagedFile(string path, string name, string contentType, long size, string sha256) : IDisposable
{
    private string? _path = path;

    /// <summary>The name the client gave (display only).</summary>
    public string Name { get; } = name;

    public string ContentType { get; } = contentType;

    public long Size { get; } = size;

    public string Sha256 { get; } = sha256;

    /// <summary>Reads the staged content.</summary>
    public Stream OpenRead() => new FileStream(_path ?? throw new ObjectDisposedException(nameof(StagedFile)), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    /// <summary>Moves the content to its place in a local storage; the staged file is gone afterwards.</summary>
    public void MoveTo(string destination)
    {
        File.Move(_path ?? throw new ObjectDisposedException(nameof(StagedFile)), destination, overwrite: true);
        _path = null;
    }

    public void Dispose()
    {
        if (_path is { } path)
        {
            File.Delete(path);
            _path = null;
        }
    }
}
