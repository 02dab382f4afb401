using CrmEngine.PluginHost.Loading;

namespace CrmEngine.PluginHost.Tests;

public sealed class ManifestTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");

    public void Dispose() => File.Delete(_file);

    private (PluginManifest? Manifest, string? Error) Read(string json)
    {
        File.WriteAllText(_file, json);
        return PluginManifest.Read(_file);
    }

    [Fact]
    public void A_complete_manifest_is_read()
    {
        var (manifest, error) = Read("""
            { "id": "sales", "version": "1.4.0", "assembly": "CrmEngine.Plugins.Sales.dll", "sdk": "^0.1",
              "displayName": { "en": "Sales", "zh-CN": "销售" }, "dependencies": { "core-x": ">=1.0.0" } }
            """);
        Assert.Null(error);
        Assert.Equal(("sales", "1.4.0", "销售"), (manifest!.Id, manifest.Version.ToString(), manifest.DisplayName.Get("zh-CN")));
        Assert.True(manifest.Dependencies["core-x"].Includes(PluginVersion.Parse("1.2.0")));
    }

    [Theory]
    [InlineData("{ \"id\": ", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{ \"id\": \"Sales\", \"version\": \"1.0.0\", \"assembly\": \"a.dll\", \"sdk\": \"^0.1\" }", "'id'")]
    [InlineData("{ \"id\": \"sales\", \"version\": \"one\", \"assembly\": \"a.dll\", \"sdk\": \"^0.1\" }", "'version'")]
    [InlineData("{ \"id\": \"sales\", \"version\": \"1.0.0\", \"assembly\": \"../a.dll\", \"sdk\": \"^0.1\" }", "'assembly'")]
    [InlineData("{ \"id\": \"sales\", \"version\": \"1.0.0\", \"assembly\": \"a.dll\" }", "'sdk'")]
    [InlineData("{ \"id\": \"sales\", \"version\": \"1.0.0\", \"assembly\": \"a.dll\", \"sdk\": \"^0.1\", \"dependencies\": { \"x\": \"soon\" } }", "dependency 'x'")]
    public void A_bad_manifest_is_refused_saying_what_is_wrong(string json, string complaint)
    {
        var (manifest, error) = Read(json);
        Assert.Null(manifest);
        Assert.Contains(complaint, error, StringComparison.Ordinal);
    }
}
