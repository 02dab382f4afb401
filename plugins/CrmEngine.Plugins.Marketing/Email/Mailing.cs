using System.Net;
using System.Text.RegularExpressions;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// Makes one member's copy of a campaign e-mail: the merge fields (<see cref="MergeFields"/>) become the recipient's values, every
/// http(s) link becomes a signed click link that redirects to it, <c>{{unsubscribeUrl}}</c> (or a
/// footer, when the body has none) a signed unsubscribe link, and a signed open pixel is appended.
/// Links are signed for the member (their subject) and work for 180 days.
/// </summary>
internal static partial class Mailing
{
    public const string Plugin = "marketing";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    [GeneratedRegex("href=\"(?<url>https?://[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    public static string Body(ILinkSigner links, ICrmIdentity identity, string baseUrl, Guid memberId, string html, IReadOnlyDictionary<string, string?> values)
    {
        string Signed(string purpose, string? target = null) =>
            $"{baseUrl.TrimEnd('/')}/p/{Plugin}/{purpose}?token=" + links.Sign(new LinkGrant(identity.TenantId, Plugin, purpose, memberId.ToString()) { Target = target }, Lifetime);

        var body = MergeFields.Merge(html, values, html: true);
        body = Link().Replace(body, m => $"href=\"{WebUtility.HtmlEncode(Signed("click", WebUtility.HtmlDecode(m.Groups["url"].Value)))}\"");
        var unsubscribe = WebUtility.HtmlEncode(Signed("unsubscribe"));
        body = body.Contains("{{unsubscribeUrl}}", StringComparison.Ordinal)
            ? body.Replace("{{unsubscribeUrl}}", unsubscribe, StringComparison.Ordinal)
            : body + $"<p style=\"font-size:12px;color:#888\"><a href=\"{unsubscribe}\">退订 / Unsubscribe</a></p>";
        return body + $"<img src=\"{WebUtility.HtmlEncode(Signed("open"))}\" width=\"1\" height=\"1\" alt=\"\">";
    }
}
