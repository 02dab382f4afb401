namespace CrmEngine.Sdk.Testing;

/// <summary>Lays plugin build output folders out as a host's plugin directory: one subfolder per plugin.</summary>
internal static class PluginFolder
{
    public static void CopyAll(IEnumerable<string> folders, string pluginDirectory)
    {
        Directory.CreateDirectory(pluginDirectory);
        foreach (var folder in folders)
        {
            // Relative paths are from the test assembly's folder (bin/...), whatever the current directory.
            var source = Path.GetFullPath(folder, AppContext.BaseDirectory);
            if (!File.Exists(Path.Combine(source, "plugin.json")))
            {
                throw new DirectoryNotFoundException($"'{source}' holds no plugin.json: give the folder a plugin builds into (such as bin/Debug/net10.0), after building it.");
            }

            Copy(source, Path.Combine(pluginDirectory, Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar)) + "-" + Guid.NewGuid().ToString("N")[..6]));
        }
    }

    private static void Copy(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
