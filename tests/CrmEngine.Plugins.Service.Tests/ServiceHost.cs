using System.Net;
using CrmEngine.Testing;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// A real host (CrmEngine.Sdk.Testing) with the sales and service plugins loaded from their folders,
/// its SMTP listener on a loopback port (mail reaches the service module as in production), and a
/// clock the tests may stop at the instants their SLA figures are computed for. Jobs run when the
/// tests say (<see cref="RunJobsAsync"/>), not on the background scheduler.
/// </summary>
public sealed class ServiceHost : IAsyncLifetime
{
    public const int MaxMessageBytes = 256 * 1024;

    private CrmTestHost? _host;

    public CrmTestHost Host => _host ?? throw new InvalidOperationException("The host starts in InitializeAsync.");

    public TestClock Clock { get; } = new();

    public int SmtpPort { get; } = FreePort();

    public async Task InitializeAsync()
    {
        var options = new CrmTestHostOptions
        {
            PostgresConnectionString = TestStorage.IsPostgres ? TestStorage.ServerConnectionString : null,
            ConfigureServices = services => services.AddSingleton<TimeProvider>(Clock),
        };
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Sales"));
        options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Service"));
        // Bulk writes (imports, the SLA sweep's batched updates) 20 items to a transaction, not 500: a
        // test with a few dozen records crosses chunk boundaries, as production does with thousands.
        options.Settings["Crm:BulkChunkSize"] = "20";
        options.Settings["Crm:Inbound:Smtp:Enabled"] = "true";
        options.Settings["Crm:Inbound:Smtp:Address"] = "127.0.0.1";
        options.Settings["Crm:Inbound:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Settings["Crm:Inbound:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _host = await CrmTestHost.StartAsync(options);
    }

    /// <summary>A new tenant with sales and service enabled, as its admin; with <paramref name="mailDomain"/>, it takes that domain's mail.</summary>
    public async Task<ServiceTenant> TenantAsync(string? mailDomain = null)
    {
        var tenant = await Host.CreateTenantAsync("sales", "service");
        if (mailDomain is not null)
        {
            await tenant.Admin.MutateAsync("mutation($input: InboundMailSettingsInput!) { setInboundMailSettings(input: $input) { settings { domains } userErrors { field code message } } }", new { input = new { domains = new[] { mailDomain } } });
        }

        return new ServiceTenant(tenant);
    }

    public Task<int> RunJobsAsync(DateTime at) => Host.RunDueJobsAsync(at);

    /// <summary>Sends <paramref name="message"/> to the host's SMTP listener with MailKit, as a mail server would.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceHostGroup : ICollectionFixture<ServiceHost>
{
    public const string Name = "service host";
}

/// <summary>
/// The host's clock: the real time, unless a test stops it at an instant (until it lets go). The
/// service tests share one host and run one at a time (one collection), so a stopped clock is theirs.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset? _stopped;

    public override DateTimeOffset GetUtcNow() => _stopped ?? base.GetUtcNow();

    /// <summary>Stops the clock at <paramref name="utc"/> until the returned scope ends.</summary>
    public IDisposable At(DateTime utc)
    {
        Set(utc);
        return new Release(this);
    }

    /// <summary>Moves the stopped clock (forward or back) to <paramref name="utc"/>.</summary>
    public void Set(DateTime utc) => _stopped = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private sealed class Release(TestClock clock) : IDisposable
    {
        public void Dispose() => clock._stopped = null;
    }
}

/// <summary>One tenant with sales and service enabled: its admin client and helpers.</summary>
public sealed class ServiceTenant(CrmTestTenant tenant)
{
    public GraphQLClient Admin => tenant.Admin;

    public CrmTestTenant Tenant => tenant;

    public async Task<JsonNode> CreateAsync(string typeName, object input, string selection = "id")
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var payload = await Admin.MutateAsync($"mutation($i: Create{typeName}Input!) {{ create{typeName}(input: $i) {{ {field} {{ {selection} }} userErrors {{ field code message }} }} }}", new { i = input });
        return payload[field]!;
    }

    /// <summary>A plugin mutation's result; asserts no userErrors.</summary>
    public async Task<JsonNode> RunAsync(string mutation, object? variables = null) => (await Admin.MutateAsync(mutation, variables))["result"]!;

    /// <summary>Sends the tenant's outgoing e-mail to a loopback SMTP server on <paramref name="port"/>.</summary>
    public Task<JsonNode> UseSmtpAsync(int port) =>
        Admin.MutateAsync("mutation($input: MessageChannelInput!) { setMessageChannel(input: $input) { settings { channel } userErrors { field code message } } }", new { input = new { channel = "EMAIL", host = "127.0.0.1", port, tlsMode = "NONE", fromAddress = "Support <support@desk.example>" } });

    public async Task<JsonNode> QueryAsync(string query, object? variables = null) => await Admin.QueryAsync(query, variables);
}

/// <summary>Reading values.</summary>
public static class Json
{
    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();
}
