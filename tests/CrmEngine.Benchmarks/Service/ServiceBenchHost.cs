using System.Net;
using System.Net.Sockets;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Service;

/// <summary>
/// The service benchmarks' host: the testing kit's real host in this process (Kestrel on a loopback
/// port), the sales and service plugins loaded from their folders as plugins (built into
/// <c>plugins/</c> beside the benchmark), SQLite files or a PostgreSQL database of its own
/// (<c>--store postgres</c>, <c>--postgres</c>), jobs run only when the benchmark says.
/// </summary>
internal static class ServiceBenchHost
{
    public static bool IsPostgres(string[] args) => PluginBenchHost.IsPostgres(args);

    public static async Task<CrmTestHost> StartAsync(string[] args, TimeProvider? clock = null, int? smtpPort = null)
    {
        var options = PluginBenchHost.Options(args, "CrmEngine.Plugins.Sales", "CrmEngine.Plugins.Service");
        options.ConfigureServices = clock is null ? null : services => services.AddSingleton(clock);
        if (smtpPort is { } port)
        {
            options.Settings["Crm:Inbound:Smtp:Enabled"] = "true";
            options.Settings["Crm:Inbound:Smtp:Address"] = "127.0.0.1";
            options.Settings["Crm:Inbound:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // The setup's GraphQL calls (a tenant with two plugins) may take longer than 30 s on a loaded machine.
        options.Settings["Crm:Endpoint:ExecutionTimeout"] = "00:05:00";
        return await CrmTestHost.StartAsync(options);
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static string Store(string[] args) => IsPostgres(args) ? "PostgreSQL" : "SQLite";
}

/// <summary>A clock that stands where the benchmark puts it: SLA figures for chosen instants, whatever the day.</summary>
internal sealed class StoppedClock(DateTime utc) : TimeProvider
{
    public DateTime Now { get; set; } = utc;

    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Now, DateTimeKind.Utc));
}
