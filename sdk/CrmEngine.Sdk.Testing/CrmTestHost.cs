using System.Net.Http.Headers;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Hosting;
using CrmEngine.PluginHost.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Sdk.Testing;

/// <summary>
/// A real CrmEngine host for tests: the engine's own server, in this process, on Kestrel at a free
/// loopback port, with the given plugins loaded from their folders exactly as in production, over
/// a temporary store. Clients talk to it over real HTTP. Dispose it to stop the server and delete
/// its data (the directory, and on PostgreSQL the database).
/// </summary>
/// <example>
/// <code>
/// await using var host = await CrmTestHost.StartAsync("../../../../Acme.Crm.Tasks/bin/Debug/net10.0");
/// var tenant = await host.CreateTenantAsync("acme-tasks");
/// var task = await tenant.Admin.MutateAsync("mutation { createAcmeTask(input: { title: \"Call\" }) { acmeTask { id } userErrors { code message } } }");
/// </code>
/// </example>
public sealed class CrmTestHost : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private readonly TemporaryStore _store;
    private int _disposed;

    private CrmTestHost(WebApplication app, TemporaryStore store, Uri baseAddress)
    {
        _app = app;
        _store = store;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's address, such as <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The host's temporary data directory (deleted on dispose).</summary>
    public string DataDirectory => _store.Directory;

    /// <summary>The host's services, for tests that look behind the API (use sparingly: test what clients see).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host on SQLite with the plugin built into <paramref name="pluginFolders"/>.</summary>
    /// <param name="pluginFolders">Plugin build output folders, each holding a <c>plugin.json</c>.</param>
    public static Task<CrmTestHost> StartAsync(params string[] pluginFolders)
    {
        var options = new CrmTestHostOptions();
        foreach (var folder in pluginFolders)
        {
            options.PluginFolders.Add(folder);
        }

        return StartAsync(options);
    }

    /// <summary>Starts a host as <paramref name="options"/> say.</summary>
    /// <exception cref="DirectoryNotFoundException">A plugin folder doesn't exist or holds no <c>plugin.json</c> (build the plugin first).</exception>
    public static async Task<CrmTestHost> StartAsync(CrmTestHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = TemporaryStore.Create(options.PostgresConnectionString);
        try
        {
            var pluginDirectory = Path.Combine(store.Directory, "plugins");
            PluginFolder.CopyAll(options.PluginFolders, pluginDirectory);
            var app = Build(options, store, pluginDirectory);
            try
            {
                await app.InitializeCrmEngineAsync().ConfigureAwait(false);
                app.MapCrmEngine();
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                return new CrmTestHost(app, store, ListeningAddress(app));
            }
            catch
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new tenant with <paramref name="plugins"/> enabled (by plugin id, in order: dependencies
    /// first) and an admin key, and a client that sends it.
    /// </summary>
    /// <exception cref="GraphQLException">Enabling a plugin was refused (the message says why).</exception>
    public async Task<CrmTestTenant> CreateTenantAsync(params string[] plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        var id = "t" + Guid.NewGuid().ToString("N")[..12];
        await _app.Services.GetRequiredService<TenantProvisioner>().CreateAsync(id, id, CancellationToken.None).ConfigureAwait(false);
        var admin = Client(id, await CreateApiKeyAsync(id, [CrmPrincipal.AdminRole]).ConfigureAwait(false));
        foreach (var plugin in plugins)
        {
            await admin.MutateAsync("mutation($id: String!) { enablePlugin(id: $id) { userErrors { field code message } } }", new { id = plugin }).ConfigureAwait(false);
        }

        return new CrmTestTenant(this, id, admin);
    }

    /// <summary>A GraphQL client for <paramref name="tenantId"/> that sends <paramref name="key"/> (an API key or a JWT; none when null).</summary>
    public GraphQLClient Client(string tenantId, string? key)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return new GraphQLClient(tenantId, http);
    }

    /// <summary>
    /// Runs the plugins' scheduled jobs that are due at <paramref name="at"/> (UTC) for every tenant,
    /// as the background scheduler would at that time, and returns how many runs it made. Tests
    /// choose the times, so a job that runs daily can be tested in one go.
    /// </summary>
    public Task<int> RunDueJobsAsync(DateTime at, CancellationToken cancellationToken = default) =>
        _app.Services.GetRequiredService<PluginJobScheduler>().RunDueAsync(at, cancellationToken);

    /// <summary>Stops the server and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _store.Dispose();
        }
    }

    /// <summary>Stops the server and deletes its data.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal async Task<string> CreateApiKeyAsync(string tenantId, IReadOnlyList<string> roles, Guid? userId = null) =>
        (await _app.Services.GetRequiredService<TenantCatalog>().CreateApiKeyAsync(tenantId, "test", roles, userId, null, CancellationToken.None).ConfigureAwait(false)).Key;

    private static WebApplication Build(CrmTestHostOptions options, TemporaryStore store, string pluginDirectory)
    {
        // The content root is the temporary directory: no appsettings.json of the test project or
        // the host's own (which enables the sales module on new tenants) is read.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = store.Directory,
            EnvironmentName = Environments.Development,
        });
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Crm:CreateDemoTenant"] = "false",
            ["Crm:DefaultPlugins"] = string.Empty,
            ["Crm:Endpoint:RefusalDelay"] = "00:00:00",
            // Jobs run when the test says (RunDueJobsAsync), not on the clock.
            ["Crm:JobsEnabled"] = "false",
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in store.Settings())
        {
            settings[key] = value;
        }

        settings["Crm:PluginDirectory"] = pluginDirectory;
        builder.Configuration.AddInMemoryCollection(settings);
        // Port 0: the system picks a free port when the server binds it.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.AddCrmEngine();
        options.ConfigureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private static Uri ListeningAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
