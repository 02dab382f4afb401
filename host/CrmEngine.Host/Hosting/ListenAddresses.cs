using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace CrmEngine.Host.Hosting;

/// <summary>
/// Where the server listens: what the standard settings say (ASPNETCORE_URLS, --urls, "urls" in
/// configuration, ASPNETCORE_HTTP_PORTS/HTTPS_PORTS, Kestrel:Endpoints), else <see cref="Default"/>.
/// An address another program holds is found before the engine bootstraps, so the host stops with
/// one line instead of creating a tenant and printing its key first.
/// </summary>
public static class ListenAddresses
{
    public const string Default = "http://localhost:5080";

    /// <summary>Listens on <see cref="Default"/> when no setting names an address.</summary>
    public static void ApplyDefault(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(Default);
        }
    }

    /// <summary>The first configured address another program is listening on, or null.</summary>
    public static string? FindInUse(IConfiguration configuration)
    {
        foreach (var url in Configured(configuration))
        {
            if (IsInUse(url))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>The one line a taken address is reported with.</summary>
    public static string InUseMessage(string? url) =>
        $"CrmEngine could not start: {url ?? "its address"} is already in use by another program. Stop that program, or choose another address with --urls or ASPNETCORE_URLS.";

    /// <summary>Kestrel's own failure to bind, for the address taken between the early check and the start.</summary>
    public static bool IsAddressInUse(Exception e) => e is IOException { InnerException: AddressInUseException } or AddressInUseException;

    private static IEnumerable<string> Configured(IConfiguration configuration)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey] ?? string.Empty;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    private static bool IsInUse(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false; // Kestrel reports a malformed address itself.
        }

        if (address.IsUnixPipe || address.IsNamedPipe || address.Port == 0)
        {
            return false;
        }

        // As Kestrel binds: localhost on both loopback addresses, an IP on itself, any other host on
        // every address. Taken on any of them fails Kestrel's start.
        IPAddress[] candidates = string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) ? [ip] : [IPAddress.IPv6Any, IPAddress.Any];
        foreach (var candidate in candidates)
        {
            try
            {
                using var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (candidate.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }

                socket.Bind(new IPEndPoint(candidate, address.Port));
                socket.Listen();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return true;
            }
            catch (SocketException)
            {
                // This address family is not available here (no IPv6, say): try the next.
            }
        }

        return false;
    }
}
