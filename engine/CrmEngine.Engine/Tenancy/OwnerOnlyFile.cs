using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Files only their owner may read or write: mode 600 where the OS has Unix modes, given as the
/// file is created (never a chmod afterwards, so there is no moment anyone else could open it).
/// Host secrets, the first admin key and tenant backups are written this way, and the data
/// directory and its tenants folder are created owner-only (mode 700), so the live stores in them
/// are no more readable than their backups.
/// </summary>
public static class OwnerOnlyFile
{
    /// <summary>Creates a directory (and missing parents) owner-only; one that exists is left as its owner set it.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static FileStream Open(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    /// <summary>Writes <paramref name="content"/> to a new or replaced owner-only file.</summary>
    public static void Write(string path, string content)
    {
        using var stream = Open(path, FileMode.Create);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    /// <summary>Creates an empty owner-only file for a backup to be written into; one that exists already is refused, not overwritten.</summary>
    public static void CreateForBackup(string path)
    {
        try
        {
            Open(path, FileMode.CreateNew).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CrmException(ErrorCodes.NameTaken, $"{path} already exists; back up to a new file.", "file");
        }
    }
}
