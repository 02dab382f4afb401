using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.Endpoints;

/// <summary>
/// A host whose plugin folder holds one plugin, TestPlugins.Forms (public endpoints: a web form, a
/// tracking pixel, a redirect, a webhook), copied from its build output as an ISV's would be. The
/// host's clock is a fake one, so links expire and deadlines pass when a test moves it.
/// </summary>
public sealed class EndpointHostFixture : IDisposable
{
    public const long MaxBodyBytes = 4096;

    public EndpointHostFixture()
        : this(CrmHost.Unthrottled(new Dictionary<string, string?>
        {
            ["Crm:Endpoint:Public:PerAddress:PermitsPerSecond"] = "100000",
            ["Crm:Endpoint:Public:PerAddress:Burst"] = "100000",
        }))
    {
    }

    private EndpointHostFixture(IDictionary<string, string?> settings)
    {
        PluginDirectory = PluginFolders.NewTemporary("crm-endpoint-tests");
        PluginFolders.Copy(Path.Combine(PluginFolders.Built, "TestPlugins.Forms"), Path.Combine(PluginDirectory, "TestPlugins.Forms"));

        Host = new CrmHost(settings: new Dictionary<string, string?>(settings)
        {
            ["Crm:PluginDirectory"] = PluginDirectory,
            ["Crm:JobsEnabled"] = "false",
            ["Crm:Endpoint:Public:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Crm:Endpoint:Public:Timeout"] = "00:00:30",
        })
        {
            ConfigureTestServices = services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                services.AddSingleton<ILoggerProvider>(Logs);
            },
        };
    }

    public string PluginDirectory { get; }

    /// <summary>A host of its own, with <paramref name="settings"/> (for limits the shared one must not have).</summary>
    public static EndpointHostFixture With(IDictionary<string, string?> settings) => new(settings);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>What the host logs (warnings and above).</summary>
    public LogCapture Logs { get; } = new();

    public CrmHost Host { get; }

    /// <summary>A client for anonymous visitors: no key, and redirects are not followed, so tests see them.</summary>
    public HttpClient Visitor() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };

    /// <summary>A new tenant with the forms plugin enabled.</summary>
    public async Task<TenantClient> TenantAsync()
    {
        var client = await Host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"forms\") { userErrors { code message } } }");
        return client;
    }

    /// <summary>A link the plugin signs for the tenant (its formLink operation).</summary>
    public static async Task<string> LinkAsync(TenantClient tenant, string purpose, string subject, string? target = null, int seconds = 3600)
    {
        var data = await tenant.QueryAsync("query($p: String!, $s: String!, $t: String, $n: Int) { formLink(purpose: $p, subject: $s, target: $t, seconds: $n) }",
            new { p = purpose, s = subject, t = target, n = seconds });
        return data["formLink"]!.GetValue<string>();
    }

    /// <summary>The names (or another field) of an entity's records, as the tenant's admin reads them.</summary>
    public static async Task<List<string>> ListAsync(TenantClient tenant, string plural, string field)
    {
        var data = await tenant.QueryAsync($"{{ {plural}(first: 100) {{ nodes {{ {field} }} }} }}");
        return data[plural]!["nodes"]!.AsArray().Select(n => n![field]?.GetValue<string>() ?? "").ToList();
    }

    public void Dispose()
    {
        Host.Dispose();
        PluginFolders.TryDelete(PluginDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class EndpointHostGroup : ICollectionFixture<EndpointHostFixture>
{
    public const string Name = "endpoint host";
}

/// <summary>Reads the typed error of a refused request.</summary>
public static class EndpointAnswers
{
    public static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
}
