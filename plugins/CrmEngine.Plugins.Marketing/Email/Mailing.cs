using System.Net;
using System.Text.RegularExpressions;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// Makes one recipient's copy of a campaign e-mail: the merge fields (<see cref="MergeFields"/>) become the recipient's values, every
/// http(s) link becomes a signed click link that redirects to it, <c>{{unsubscribeUrl}}</c> (or a
/// footer, when the body has none) a signed unsubscribe link, and a signed open pixel is appended.
/// Links are signed for the link subject (a member's id; a test send's <see cref="TestSubject"/>,
/// which the tracking endpoints answer without recording anything) and work for 180 days. The
/// same unsubscribe link is the mail's one-click <c>List-Unsubscribe</c> (RFC 8058, <see cref="Headers"/>).
/// </summary>
internal static partial class Mailing
{
    public const string Plugin = "marketing";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    /// <summary>The subject of a test send's links: no member, so opening or clicking them records nothing.</summary>
    public const string TestSubject = "test";

    [GeneratedRegex("href=\"(?<url>https?://[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    public static string Body(ILinkSigner links, ICrmIdentity identity, string baseUrl, Guid memberId, string html, IReadOnlyDictionary<string, string?> values) =>
        Body(links, identity, baseUrl, memberId.ToString(), html, values);

    public static string Body(ILinkSigner links, ICrmIdentity identity, string baseUrl, string subject, string html, IReadOnlyDictionary<string, string?> values)
    {
        var body = MergeFields.Merge(html, values, html: true);
        body = Link().Replace(body, m => $"href=\"{WebUtility.HtmlEncode(Signed(links, identity, baseUrl, subject, "click", WebUtility.HtmlDecode(m.Groups["url"].Value)))}\"");
        var unsubscribe = WebUtility.HtmlEncode(Signed(links, identity, baseUrl, subject, "unsubscribe"));
        body = body.Contains("{{unsubscribeUrl}}", StringComparison.Ordinal)
            ? body.Replace("{{unsubscribeUrl}}", unsubscribe, StringComparison.Ordinal)
            : body + $"<p style=\"font-size:12px;color:#888\"><a href=\"{unsubscribe}\">退订 / Unsubscribe</a></p>";
        return body + $"<img src=\"{WebUtility.HtmlEncode(Signed(links, identity, baseUrl, subject, "open"))}\" width=\"1\" height=\"1\" alt=\"\">";
    }

    /// <summary>
    /// The mail's one-click unsubscribe headers (RFC 2369, RFC 8058): <c>List-Unsubscribe</c> names the
    /// signed unsubscribe URL, which a mail client POSTs to without showing a page, and, when the
    /// tenant set an <c>unsubscribeAddress</c>, a <c>mailto:</c> whose subject names the link subject
    /// (<see cref="Bounces.UnsubscribeMail"/> reads it).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Headers(ILinkSigner links, ICrmIdentity identity, string baseUrl, string subject, string? unsubscribeAddress)
    {
        var list = $"<{Signed(links, identity, baseUrl, subject, "unsubscribe")}>";
        if (!string.IsNullOrWhiteSpace(unsubscribeAddress))
        {
            list += $", <mailto:{unsubscribeAddress.Trim()}?subject=unsubscribe%20{Uri.EscapeDataString(subject)}>";
        }

        return new Dictionary<string, string> { ["List-Unsubscribe"] = list, ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click" };
    }

    private static string Signed(ILinkSigner links, ICrmIdentity identity, string baseUrl, string subject, string purpose, string? target = null) =>
        $"{baseUrl.TrimEnd('/')}/p/{Plugin}/{purpose}?token=" + links.Sign(new LinkGrant(identity.TenantId, Plugin, purpose, subject) { Target = target }, Lifetime);
}
