using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace CrmEngine.Webhooks.Subscriptions;

/// <summary>
/// Signing secrets: made at random, shown once, kept protected with the host's Data Protection key
/// ring (as plugin settings' secrets are), and used to sign each delivery with HMAC-SHA256 over
/// <c>{timestamp}.{body}</c>.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    public const string Prefix = "whsec_";

    /// <summary>A new secret, in the form shown to the admin.</summary>
    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Protect(string tenantId, Guid webhookId, string secret) => Protector(tenantId, webhookId).Protect(secret);

    /// <summary>The secret in clear; throws <see cref="CryptographicException"/> when this host's key ring can't read it.</summary>
    public string Unprotect(string tenantId, Guid webhookId, string stored) => Protector(tenantId, webhookId).Unprotect(stored);

    /// <summary>The signature header's value: <c>sha256=</c> and the lowercase hex HMAC of <c>{timestamp}.{body}</c>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // The purpose names the tenant and the webhook: a protected secret copied to another row doesn't unprotect.
    private IDataProtector Protector(string tenantId, Guid webhookId) => protection.CreateProtector("CrmEngine.Webhooks.Secret", tenantId, webhookId.ToString());
}
