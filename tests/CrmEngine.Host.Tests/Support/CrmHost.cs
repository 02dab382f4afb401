using System.Net.Http.Headers;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// The real host (Program) on Kestrel with a loopback port, over its own data directory of real
/// SQLite files. Tests get fresh tenants with admin keys from it.
/// </summary>
public class CrmHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDirectory;

    public CrmHost(string? dataDirectory = null, IDictionary<string, string?>? settings = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "crm-host-tests", Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Crm:DataDirectory"] = DataDirectory,
        };
        _settings.TryAdd("Crm:CreateDemoTenant", "false");
        // appsettings.json enables the sales plugin on new tenants; test tenants start bare unless a test asks.
        _settings.TryAdd("Crm:DefaultPlugins", string.Empty);
        // Port 0 through the URLs setting, not UseKestrel(0): that overload rewrites the server's
        // addresses after the app has started binding them, which races (dotnet/aspnetcore#67714).
        _settings["urls"] = "http://127.0.0.1:0";
        UseKestrel();
    }

    public string DataDirectory { get; }

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
        if (disposing && _ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Only a temp folder is left behind.
            }
        }
    }
}
