using System.Net;
using System.Net.Sockets;
using CrmEngine.Host.Hosting;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.AspNetCore.Builder;

namespace CrmEngine.Host.Tests.Hosting;

/// <summary>
/// The address the host listens on, as an operator sets it: the real host in its own process
/// (dotnet CrmEngine.Host.dll), as <c>dotnet run</c> starts it, on a data directory of its own.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class ListenAddressTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task ASPNETCORE_URLS_chooses_the_port()
    {
        var port = ChildProcess.FreePort();
        await using var host = StartHost([], new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        Assert.True(await HostProcess.AnswersAsync(host, port), $"Nothing answered on {port}.\n{host.Output}\n{host.Error}");
    }

    [Fact]
    public async Task The_urls_argument_wins_over_ASPNETCORE_URLS()
    {
        var ports = ChildProcess.FreePorts(2);
        var (environmentPort, argumentPort) = (ports[0], ports[1]);
        await using var host = StartHost(["--urls", $"http://127.0.0.1:{argumentPort}"], new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{environmentPort}" });

        Assert.True(await HostProcess.AnswersAsync(host, argumentPort), $"Nothing answered on {argumentPort}.\n{host.Output}\n{host.Error}");
        Assert.False(await HostProcess.AnswersAsync(host, environmentPort, attempts: 1), $"The host also answered on {environmentPort}, the ASPNETCORE_URLS port.");
    }

    [Fact]
    public async Task A_port_in_use_stops_the_host_with_one_line_and_exit_code_1_before_a_tenant_or_key_is_made()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        await using var host = StartHost(["--urls", $"http://127.0.0.1:{port}"], new() { ["Crm__CreateDemoTenant"] = "true" });
        var exit = await host.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exit);
        var error = host.Error.Trim();
        Assert.Equal([$"CrmEngine could not start: http://127.0.0.1:{port} is already in use by another program. Stop that program, or choose another address with --urls or ASPNETCORE_URLS."], error.Split('\n'));
        Assert.DoesNotContain("API key", host.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "demo-admin.key")));
        Assert.False(Directory.Exists(_data) && Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories).Any(), "The host wrote data before it stopped.");
    }

    [Fact]
    public void With_no_address_configured_the_host_listens_on_localhost_5080_and_any_setting_replaces_it()
    {
        var bare = WebApplication.CreateEmptyBuilder(new());
        ListenAddresses.ApplyDefault(bare);
        Assert.Equal("http://localhost:5080", bare.Configuration["urls"]);

        foreach (var (key, value) in new[] { ("urls", "http://127.0.0.1:6000"), ("http_ports", "6001"), ("Kestrel:Endpoints:Main:Url", "http://127.0.0.1:6002") })
        {
            var configured = WebApplication.CreateEmptyBuilder(new());
            configured.Configuration[key] = value;
            ListenAddresses.ApplyDefault(configured);
            Assert.Equal(key == "urls" ? value : null, configured.Configuration["urls"]);
        }
    }

    /// <summary>The host as built with these tests, started the way <c>dotnet run</c> does, with this test's data directory and no plugins.</summary>
    private ChildProcess StartHost(string[] arguments, Dictionary<string, string?> environment)
    {
        environment["Crm__DataDirectory"] = _data;
        environment["Crm__DefaultPlugins"] = " ";
        environment.TryAdd("ASPNETCORE_URLS", null);
        return HostProcess.Start(AppContext.BaseDirectory, AppContext.BaseDirectory, arguments, environment);
    }
}
