namespace CrmEngine.Host.Tests.Support;

/// <summary>The repository the tests were built from: where the docs and the TypeScript check live.</summary>
public static class Repository
{
    /// <summary>The folder that holds CrmEngine.sln, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CrmEngine.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CrmEngine.sln above {AppContext.BaseDirectory}.");
    }
}
