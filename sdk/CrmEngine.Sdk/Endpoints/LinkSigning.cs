namespace CrmEngine.Sdk.Endpoints;

/// <summary>
/// What a signed link lets its holder do: open one plugin's routes of one purpose on one tenant, about
/// one subject (a record id, an e-mail address), until it expires.
/// </summary>
/// <param name="TenantId">The tenant the link acts on (from the signing context's identity).</param>
/// <param name="Plugin">The plugin whose routes the link opens.</param>
/// <param name="Purpose">What the link is for; it opens only routes declared with <see cref="EndpointAccess.SignedLink"/> of this purpose.</param>
/// <param name="Subject">What the link is about, such as the contact's record id.</param>
public sealed record LinkGrant(string TenantId, string Plugin, string Purpose, string Subject)
{
    /// <summary>
    /// An absolute URL the endpoint may redirect to. A redirect answer must go to a relative path or to
    /// this URL, so a link can't be turned into an open redirect.
    /// </summary>
    public string? Target { get; init; }
}

/// <summary>
/// Signs links for public endpoints: a grant becomes a compact, URL-safe token, tamper-proof and
/// encrypted with the host's key ring, which expires. Take it in a constructor (operations, hooks,
/// jobs, endpoints) and put the token in a link as its <c>token</c> query parameter:
/// <c>/p/&lt;plugin&gt;/&lt;route&gt;?token=…</c>.
/// </summary>
public interface ILinkSigner
{
    /// <summary>Signs <paramref name="grant"/> into a token valid for <paramref name="lifetime"/> from now (by the host's clock).</summary>
    string Sign(LinkGrant grant, TimeSpan lifetime);
}
