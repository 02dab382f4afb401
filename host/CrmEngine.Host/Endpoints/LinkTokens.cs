using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CrmEngine.PluginHost.Endpoints;
using CrmEngine.Sdk.Endpoints;
using Microsoft.AspNetCore.DataProtection;

namespace CrmEngine.Host.Endpoints;

/// <summary>
/// Signed links for plugins' public endpoints. A token is the grant (tenant, plugin, purpose, subject,
/// optional redirect target), a random id and the expiry, in a small binary form protected with ASP.NET
/// Data Protection (authenticated encryption with the host's rotating key ring: tamper-proof, and the
/// grant is not readable from the link), then base64url. Verifying checks the protection and reads
/// the grant back; the endpoint handler checks plugin, purpose, expiry and, for single-use routes,
/// whether the id was used.
/// </summary>
public sealed class LinkTokens(IDataProtectionProvider protection, TimeProvider time) : ILinkSigner
{
    /// <summary>A token longer than this is not one of ours and is not even decoded.</summary>
    public const int MaxTokenLength = 4096;

    private const byte FormatVersion = 1;
    private readonly IDataProtector _protector = protection.CreateProtector("CrmEngine.PublicEndpoints.Links.v1");

    /// <inheritdoc/>
    public string Sign(LinkGrant grant, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(grant);
        foreach (var (name, value) in new[] { ("TenantId", grant.TenantId), ("Plugin", grant.Plugin), ("Purpose", grant.Purpose), ("Subject", grant.Subject) })
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        if (grant.Target is { } target && !(Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ArgumentException($"A link's target must be an absolute http(s) URL; '{target}' is not.", nameof(grant));
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(Guid.NewGuid().ToByteArray());
            writer.Write(time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
            writer.Write(grant.TenantId);
            writer.Write(grant.Plugin);
            writer.Write(grant.Purpose);
            writer.Write(grant.Subject);
            writer.Write(grant.Target ?? string.Empty);
        }

        return Base64Url.EncodeToString(_protector.Protect(buffer.ToArray()));
    }

    /// <summary>The link a token carries, expired or not; null for anything the host did not sign (altered, truncated, made up, from another key ring).</summary>
    public VerifiedLink? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(_protector.Unprotect(Base64Url.DecodeFromChars(token))), Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
            {
                return null;
            }

            var id = new Guid(reader.ReadBytes(16));
            var expires = DateTimeOffset.FromUnixTimeSeconds(reader.ReadInt64()).UtcDateTime;
            var grant = new LinkGrant(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString());
            var target = reader.ReadString();
            return new VerifiedLink(target.Length == 0 ? grant : grant with { Target = target }, id, expires);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or EndOfStreamException or ArgumentException)
        {
            return null;
        }
    }
}
