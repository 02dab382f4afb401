namespace CrmEngine.Host.Tests.Support;

/// <summary>A plugin folder of a test's own holding some of the test plugins built with these tests (testplugins/); deleted when disposed.</summary>
public sealed class TestPluginFolder : IDisposable
{
    public TestPluginFolder(params string[] plugins)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crm-plugin-tests", Guid.NewGuid().ToString("N"));
        foreach (var plugin in plugins)
        {
            var target = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, plugin)).FullName;
            foreach (var file in System.IO.Directory.GetFiles(System.IO.Path.Combine(AppContext.BaseDirectory, "testplugins", plugin)))
            {
                File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
            }
        }
    }

    public string Directory { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
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
