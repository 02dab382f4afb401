using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CrmEngine.Webhooks.Targets;

/// <summary>
/// Which IP addresses a webhook may reach. Loopback, private, shared (CGNAT), link-local (cloud
/// metadata services live there), unspecified, multicast and broadcast addresses are refused unless
/// <see cref="WebhookOptions"/> allows loopback or private networks: a tenant admin must not be able
/// to make the engine call services that only trust the machine or the network it runs in.
/// </summary>
public sealed class AddressPolicy(IOptions<WebhookOptions> options)
{
    /// <summary>Why <paramref name="address"/> is refused ("loopback", "private network", ...), or null when it may be reached.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var kind = Classify(address);
        return kind switch
        {
            null => null,
            AddressKind.Loopback when options.Value.AllowLoopback => null,
            AddressKind.Private when options.Value.AllowPrivateNetworks => null,
            AddressKind.Loopback => "a loopback address",
            AddressKind.Private => "a private network address",
            AddressKind.LinkLocal => "a link-local address",
            AddressKind.Unspecified => "an unspecified address",
            _ => "a multicast or broadcast address",
        };
    }

    private static AddressKind? Classify(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return AddressKind.Loopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return address.Equals(IPAddress.IPv6Any) ? AddressKind.Unspecified
                : address.IsIPv6LinkLocal ? AddressKind.LinkLocal
                : address.IsIPv6SiteLocal || (bytes[0] & 0xFE) == 0xFC ? AddressKind.Private
                : address.IsIPv6Multicast ? AddressKind.Multicast
                : null;
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 => AddressKind.Unspecified,
            10 => AddressKind.Private,
            100 when b[1] is >= 64 and < 128 => AddressKind.Private,
            169 when b[1] == 254 => AddressKind.LinkLocal,
            172 when b[1] is >= 16 and < 32 => AddressKind.Private,
            192 when b[1] == 168 => AddressKind.Private,
            >= 224 => AddressKind.Multicast,
            _ => null,
        };
    }

    private enum AddressKind
    {
        Loopback,
        Private,
        LinkLocal,
        Unspecified,
        Multicast,
    }
}
