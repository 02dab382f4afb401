namespace CrmEngine.Host.Tests.Support;

/// <summary>Plugin folders for test hosts: built test plugins copied as an ISV would deploy them, and removed afterwards.</summary>
public static class PluginFolders
{
    /// <summary>Where the test plugins built with this project are (one folder each, named by assembly).</summary>
    public static string Built => Path.Combine(AppContext.BaseDirectory, "testplugins");

    /// <summary>A new, empty temporary plugin folder.</summary>
    public static string NewTemporary(string purpose) => Path.Combine(Path.GetTempPath(), purpose, Guid.NewGuid().ToString("N"));

    /// <summary>Copies a plugin's files (one level: a plugin's build output) into <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>Removes a temporary plugin folder, leaving it when loaded plugin files are still open.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Loaded plugin files may still be open; only a temp folder is left.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
