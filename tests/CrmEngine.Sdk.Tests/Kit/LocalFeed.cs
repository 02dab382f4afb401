using System.Reflection;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Sdk.Tests.Kit;

/// <summary>
/// A temporary folder where the tests act as an ISV outside this repository: the packages packed
/// from this build in a local feed, and a NuGet.config that restores from that feed and the
/// machine's global packages folder only, so nothing is fetched from the network. Deleted on dispose.
/// </summary>
public sealed class LocalFeed : IDisposable
{
    private static readonly string Configuration = typeof(LocalFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    public LocalFeed()
    {
        Directory.CreateDirectory(Feed);
        // A version of this run's own: a package of the same version the machine restored before
        // (from another build) can't stand in for the one packed here.
        VersionSuffix = "kit" + Guid.NewGuid().ToString("N")[..10];
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" /></config>
              <fallbackPackageFolders><clear /><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>
              <packageSources><clear /><add key="local" value="{Feed}" /></packageSources>
            </configuration>
            """);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "crm-kit-tests", Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The prerelease suffix of the packages packed here.</summary>
    public string VersionSuffix { get; }

    /// <summary>Packs a project of the repository (built already, in this test run's configuration) into the feed and returns the package's path.</summary>
    public async Task<string> PackAsync(string project)
    {
        var before = Directory.GetFiles(Feed, "*.nupkg").ToHashSet();
        await DotnetAsync(Repository.Root, "pack", Path.Combine(Repository.Root, project), "--no-build", "-c", Configuration, "-o", Feed, "-p:VersionSuffix=" + VersionSuffix);
        return Assert.Single(Directory.GetFiles(Feed, "*.nupkg"), p => !before.Contains(p));
    }

    /// <summary>Runs the dotnet CLI in <paramref name="directory"/> and returns its output; fails the test when it fails.</summary>
    public static async Task<string> DotnetAsync(string directory, params string[] arguments)
    {
        // The CLI of this test run set MSBuild variables for itself; a nested build must find its own.
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        var (exit, output, error) = await ChildProcess.RunAsync("dotnet", arguments, directory, TimeSpan.FromMinutes(4), environment);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', arguments)} exited with {exit}.\nstdout:\n{output}\nstderr:\n{error}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open only leaves a temporary folder behind.
        }
    }
}
