using System.Collections.Frozen;

namespace CrmEngine.Duplicates.Matching;

/// <summary>The EMAIL and EMAIL_DOMAIN matchers' keys.</summary>
public static class EmailKeys
{
    /// <summary>
    /// Domains anyone can have an address at: two people at gmail.com are no sign of one company.
    /// Their addresses still match by EMAIL; by EMAIL_DOMAIN they never do.
    /// </summary>
    public static readonly FrozenSet<string> FreeMailDomains = new[]
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "yahoo.com.cn", "yahoo.co.jp",
        "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "mail.ru", "yandex.ru",
        "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com", "yeah.net", "188.com", "sina.com", "sina.cn", "vip.sina.com",
        "sohu.com", "aliyun.com", "139.com", "189.cn", "wo.cn", "263.net", "tom.com", "21cn.com", "naver.com", "daum.net",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The address lower-cased and trimmed; null when it is not one (no single @ with something on each side).</summary>
    public static string? Address(string value)
    {
        var address = TextKeys.Fold(value).Trim();
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == address.LastIndexOf('@') && at < address.Length - 1 && !address.Any(char.IsWhiteSpace) ? address : null;
    }

    /// <summary>
    /// The domain of an e-mail address (after the @) or of a web address (its host, without "www."),
    /// lower-cased; null for a free-mail domain or when there is no domain with a dot in it.
    /// </summary>
    public static string? Domain(string value)
    {
        var text = TextKeys.Fold(value).Trim();
        var at = text.LastIndexOf('@');
        string host;
        if (at >= 0)
        {
            host = text[(at + 1)..];
        }
        else
        {
            var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
            host = Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) ? uri.Host : string.Empty;
        }

        host = host.TrimEnd('.');
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        return host.Contains('.', StringComparison.Ordinal) && !host.Any(char.IsWhiteSpace) && !FreeMailDomains.Contains(host) ? host : null;
    }
}
