using System.Net;
using System.Net.Sockets;

namespace CrmEngine.Webhooks.Targets;

/// <summary>Name resolution for webhook targets: the system's DNS; tests put their own in its place to play a DNS that rebinds.</summary>
public interface ITargetResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <inheritdoc/>
public sealed class DnsTargetResolver : ITargetResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? Task.FromResult<IPAddress[]>([literal]) : Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A target that may not be reached; its message says why and is safe to show to the admin.</summary>
public sealed class TargetRefusedException(string message) : Exception(message);

/// <summary>
/// Decides where a webhook may connect: checks a URL when it is saved, and picks the address to
/// connect to when it is called, after resolving it again (a name that pointed to a public address
/// when it was saved may point to a private one since: DNS rebinding).
/// </summary>
public sealed class TargetGuard(ITargetResolver resolver, AddressPolicy policy)
{
    public const int MaxUrlLength = 2_000;

    /// <summary>Why <paramref name="url"/> can't be a webhook's target, or null when it can.</summary>
    public async Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken)
    {
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"The target must be an absolute http or https URL of at most {MaxUrlLength} characters.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The target may not carry a user name or password; authenticate with the signature.";
        }

        try
        {
            await AddressAsync(uri.IdnHost, cancellationToken);
            return null;
        }
        catch (TargetRefusedException e)
        {
            return e.Message;
        }
    }

    /// <summary>The first address of <paramref name="host"/> the policy allows; throws <see cref="TargetRefusedException"/> when there is none.</summary>
    public async Task<IPAddress> AddressAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            throw new TargetRefusedException($"The target's host '{host}' does not resolve.");
        }

        // Every address must be allowed: a name with one public and one private address would let
        // the connection pick the private one.
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } refusal)
            {
                throw new TargetRefusedException($"The target's host '{host}' resolves to {refusal} ({address}), which webhooks may not reach.");
            }
        }

        return addresses.Length > 0 ? addresses[0] : throw new TargetRefusedException($"The target's host '{host}' does not resolve.");
    }
}
