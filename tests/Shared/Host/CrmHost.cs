using System.Net.Http.Headers;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// The real host (Program) on Kestrel with a loopback port, over a store of its own (SQLite files,
/// or a PostgreSQL database in the PostgreSQL pass) or one shared with other hosts. Tests get fresh
/// tenants with admin keys from it.
/// </summary>
public class CrmHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TestStore? _ownedStore;

    /// <param name="store">A store to share with other hosts (the caller disposes it); a new one otherwise.</param>
    /// <param name="settings">Configuration on top of the store's.</param>
    public CrmHost(TestStore? store = null, IDictionary<string, string?>? settings = null)
    {
        _ownedStore = store is null ? TestStore.Create() : null;
        Store = store ?? _ownedStore!;
        _settings = Store.Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _settings.TryAdd("Crm:CreateDemoTenant", "false");
        // appsettings.json enables the sales plugin on new tenants; test tenants start bare unless a test asks.
        _settings.TryAdd("Crm:DefaultPlugins", string.Empty);
        // Refusals go out at once, so tests of limits don't wait on them; RefusalPacingTests hold them.
        _settings.TryAdd("Crm:Endpoint:RefusalDelay", "00:00:00");
        // Port 0 through the URLs setting, not UseKestrel(0): that overload rewrites the server's
        // addresses after the app has started binding them, which races (dotnet/aspnetcore#67714).
        _settings["urls"] = "http://127.0.0.1:0";
        UseKestrel();
    }

    public TestStore Store { get; }

    /// <summary>
    /// <paramref name="settings"/> with endpoint rate limits no test reaches, for tests whose clients
    /// send requests back to back (the limiter is tested elsewhere).
    /// </summary>
    public static Dictionary<string, string?> Unthrottled(IDictionary<string, string?> settings) => new(settings)
    {
        ["Crm:Endpoint:PerCaller:PermitsPerSecond"] = "100000",
        ["Crm:Endpoint:PerCaller:Burst"] = "100000",
        ["Crm:Endpoint:PerTenant:PermitsPerSecond"] = "100000",
        ["Crm:Endpoint:PerTenant:Burst"] = "100000",
    };

    public string DataDirectory => Store.DataDirectory;

    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    /// <summary>The base address of the running server, such as http://127.0.0.1:40123.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    public T Service<T>()
        where T : notnull
    {
        StartServer();
        return Services.GetRequiredService<T>();
    }

    /// <summary>A new tenant with an admin key, and a client that sends it.</summary>
    public async Task<TenantClient> NewTenantAsync(string? id = null)
    {
        id ??= "t" + Guid.NewGuid().ToString("N")[..12];
        await Service<TenantProvisioner>().CreateAsync(id, id, CancellationToken.None);
        var key = await Service<TenantCatalog>().CreateApiKeyAsync(id, "test", [CrmPrincipal.AdminRole], null, null, CancellationToken.None);
        return Client(id, key.Key);
    }

    public TenantClient Client(string tenantId, string? key)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return new TenantClient(tenantId, key, http);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        if (ConfigureTestServices is not null)
        {
            builder.ConfigureServices(ConfigureTestServices);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownedStore?.Dispose();
        }
    }
}
