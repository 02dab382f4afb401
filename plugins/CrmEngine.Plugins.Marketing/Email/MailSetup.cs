using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// What every campaign mail of one send is made with: the link signer, the tenant's identity, the
/// public address links start with (<c>trackingBaseUrl</c>) and the mailbox a <c>List-Unsubscribe</c>
/// mailto names (<c>unsubscribeAddress</c>, none when unset). Read once per send, not per recipient.
/// </summary>
internal sealed record MailSetup(ILinkSigner Links, ICrmIdentity Identity, string BaseUrl, string? UnsubscribeAddress)
{
    public static async Task<MailSetup> LoadAsync(ILinkSigner links, ICrmIdentity identity, IPluginSettings settings, CancellationToken cancellationToken) => new(
        links,
        identity,
        await settings.GetAsync<string>("trackingBaseUrl", cancellationToken) ?? "http://localhost:5080",
        await settings.GetAsync<string>("unsubscribeAddress", cancellationToken) is { Length: > 0 } address ? address : null);

    /// <summary>The tracked HTML body of a mail whose links are signed for <paramref name="subject"/>.</summary>
    public string Body(string subject, string html, IReadOnlyDictionary<string, string?> values) => Mailing.Body(Links, Identity, BaseUrl, subject, html, values);

    /// <summary>The one-click unsubscribe headers of a mail whose links are signed for <paramref name="subject"/>.</summary>
    public IReadOnlyDictionary<string, string> Headers(string subject) => Mailing.Headers(Links, Identity, BaseUrl, subject, UnsubscribeAddress);
}
