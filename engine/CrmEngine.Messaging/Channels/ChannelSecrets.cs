using Microsoft.AspNetCore.DataProtection;

namespace CrmEngine.Messaging.Channels;

/// <summary>
/// A channel's secret (SMTP password, gateway Authorization header, webhook signing secret), kept
/// protected with the host's Data Protection key ring, as webhook secrets are; never returned.
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider protection)
{
    public string Protect(string tenantId, string channel, string secret) => Protector(tenantId, channel).Protect(secret);

    /// <summary>The secret in clear; throws <see cref="System.Security.Cryptography.CryptographicException"/> when this host's key ring can't read it.</summary>
    public string Unprotect(string tenantId, string channel, string stored) => Protector(tenantId, channel).Unprotect(stored);

    // The purpose names the tenant and the channel: a protected value copied elsewhere doesn't unprotect.
    private IDataProtector Protector(string tenantId, string channel) => protection.CreateProtector("CrmEngine.Messaging.Secret", tenantId, channel);
}
