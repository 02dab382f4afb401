using System.IO.Compression;
using System.Xml.Linq;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Sdk.Tests.Kit;

/// <summary>What the packages an ISV compiles and tests against carry.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class PackageTests : IDisposable
{
    private readonly LocalFeed _feed = new();

    public void Dispose() => _feed.Dispose();

    [Fact]
    public async Task The_sdk_package_carries_its_xml_docs_the_repository_and_a_symbol_package()
    {
        var package = await _feed.PackAsync("sdk/CrmEngine.Sdk");

        using (var nupkg = ZipFile.OpenRead(package))
        {
            Assert.Contains(nupkg.Entries, e => e.FullName == "lib/net10.0/CrmEngine.Sdk.xml");
            var nuspec = XDocument.Load(nupkg.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "repository" && e.Attribute("url") is not null);
        }

        using var snupkg = ZipFile.OpenRead(Path.ChangeExtension(package, ".snupkg"));
        Assert.Contains(snupkg.Entries, e => e.FullName == "lib/net10.0/CrmEngine.Sdk.pdb");
    }

    [Fact]
    public void The_testing_kit_package_depends_on_every_package_the_engine_it_carries_needs()
    {
        // The kit carries the host and engine assemblies; the packages they use must be its dependencies
        // (Microsoft.Extensions.* excepted: they come with the ASP.NET Core framework the kit references).
        var engine = Directory.GetFiles(Path.Combine(Repository.Root, "engine"), "*.csproj", SearchOption.AllDirectories)
            .Append(Path.Combine(Repository.Root, "host", "CrmEngine.Host", "CrmEngine.Host.csproj"))
            .SelectMany(PackageReferences)
            .Where(p => !p.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
            .ToHashSet();
        var kit = PackageReferences(Path.Combine(Repository.Root, "sdk", "CrmEngine.Sdk.Testing", "CrmEngine.Sdk.Testing.csproj")).ToHashSet();

        Assert.Empty(engine.Except(kit).Order());
    }

    private static IEnumerable<string> PackageReferences(string project) =>
        XDocument.Load(project).Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value);
}
