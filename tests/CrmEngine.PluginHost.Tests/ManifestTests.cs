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

    private const string Head = "\"id\": \"acme-partners\", \"version\": \"1.0.0\", \"assembly\": \"a.dll\", \"sdk\": \"^0.2\"";

    [Fact]
    public void Declared_error_codes_are_read_with_what_they_mean()
    {
        var (manifest, error) = Read($$"""{ {{Head}}, "errorCodes": { "PARTNER_INACTIVE": "The partner is not active.", "ACME_QUOTA2_FULL": "No room." } }""");
        Assert.Null(error);
        Assert.Equal(["ACME_QUOTA2_FULL", "PARTNER_INACTIVE"], manifest!.ErrorCodes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("The partner is not active.", manifest.ErrorCodes["PARTNER_INACTIVE"]);
    }

    [Fact]
    public void A_manifest_without_error_codes_declares_none_as_plugins_built_for_SDK_0_1()
    {
        Assert.Null(Read($"{{ {Head} }}").Manifest!.ErrorCodes);
        Assert.Empty(Read($"{{ {Head}, \"errorCodes\": {{}} }}").Manifest!.ErrorCodes!);
    }

    [Theory]
    [InlineData("[\"PARTNER_INACTIVE\"]", "'errorCodes' must be an object")]
    [InlineData("{ \"partner-inactive\": \"x\" }", "error code 'partner-inactive' must be UPPER_SNAKE_CASE")]
    [InlineData("{ \"PARTNER__INACTIVE\": \"x\" }", "error code 'PARTNER__INACTIVE' must be UPPER_SNAKE_CASE")]
    [InlineData("{ \"_PARTNER\": \"x\" }", "error code '_PARTNER' must be UPPER_SNAKE_CASE")]
    [InlineData("{ \"9LIVES\": \"x\" }", "error code '9LIVES' must be UPPER_SNAKE_CASE")]
    [InlineData("{ \"REJECTED\": \"x\" }", "error code 'REJECTED' is one of the engine's codes")]
    [InlineData("{ \"NOT_FOUND\": \"x\" }", "error code 'NOT_FOUND' is one of the engine's codes")]
    [InlineData("{ \"PLUGIN_ERROR\": \"x\" }", "error code 'PLUGIN_ERROR' is one of the engine's codes")]
    [InlineData("{ \"PARTNER_INACTIVE\": \"\" }", "error code 'PARTNER_INACTIVE' needs a description")]
    [InlineData("{ \"PARTNER_INACTIVE\": 1 }", "error code 'PARTNER_INACTIVE' needs a description")]
    public void A_bad_error_code_declaration_refuses_the_manifest_saying_which_code_and_why(string codes, string complaint)
    {
        var (manifest, error) = Read($"{{ {Head}, \"errorCodes\": {codes} }}");
        Assert.Null(manifest);
        Assert.StartsWith($"plugin.json of 'acme-partners': {complaint}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_code_longer_than_64_characters_is_refused() =>
        Assert.Contains("must be UPPER_SNAKE_CASE", Read($"{{ {Head}, \"errorCodes\": {{ \"{new string('A', 65)}\": \"x\" }} }}").Error, StringComparison.Ordinal);
}
