using System.Net.Http.Headers;
using System.Net.Sockets;

namespace CrmEngine.Webhooks.Targets;

/// <summary>
/// An HTTP client for tenant-configured targets (webhooks, messaging gateways): each connection goes to
/// an address the <see cref="TargetGuard"/> picked after resolving the target's host again, so a name
/// rebound to a private address since it was saved is refused; no proxy, no redirects followed, no
/// cookies, no decompression. Callers put a deadline on each request.
/// </summary>
public static class GuardedHttpClient
{
    public static HttpClient Create(TargetGuard guard, string product)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var address = await guard.AddressAsync(context.DnsEndPoint.Host, cancellationToken);
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(product, "1"));
        return client;
    }

    /// <summary>The guard's refusal inside a failed request, if that is why it failed.</summary>
    public static string? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is TargetRefusedException refused)
            {
                return refused.Message;
            }
        }

        return null;
    }
}
