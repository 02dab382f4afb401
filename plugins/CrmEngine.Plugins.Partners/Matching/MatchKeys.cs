using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrmEngine.Plugins.Partners.Matching;

/// <summary>
/// The keys a customer is recognised by across accounts, contacts, leads, opportunities and deal
/// registrations, whoever typed it and however: a company name without its legal form, a company's
/// own e-mail domain, a phone number's digits. Each returns null when there is nothing to match on,
/// so a blank, a bare legal form or a public mailbox never makes two customers "the same".
/// </summary>
internal static partial class MatchKeys
{
    // Longest first: 股份有限公司 is stripped whole rather than leaving 股份.
    private static readonly string[] ChineseForms = ["股份有限公司", "有限责任公司", "集团有限公司", "集团股份公司", "有限公司", "集团公司", "控股集团", "集团", "控股", "公司"];

    private static readonly HashSet<string> LatinForms = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa", "bv", "pte", "pty", "kk", "group", "holdings",
    };

    // Mailboxes anyone can open: a shared domain says nothing about the company.
    private static readonly HashSet<string> PublicDomains = new(StringComparer.Ordinal)
    {
        "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com", "188.com", "sina.com", "sina.cn", "sohu.com", "aliyun.com",
        "139.com", "189.cn", "wo.cn", "21cn.com", "tom.com", "88.com", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "mail.com", "aol.com", "yandex.com",
    };

    /// <summary>
    /// A company name's key: full-width forms folded (ＡＢＣ（深圳）→ abc(深圳)), case, spaces and
    /// punctuation dropped, a parenthesised qualifier dropped (腾达科技（深圳）有限公司 is 腾达科技), and the
    /// leading province and city dropped (see <see cref="WithoutPlace"/>), the legal form at the end stripped, Chinese (有限公司, 股份有限公司, 集团, ...) or Latin (Inc, Co., Ltd,
    /// LLC, GmbH, ...), repeatedly (集团有限公司, "Co., Ltd."). Latin forms are whole words only, so
    /// "Disco" keeps its "co". A name that is nothing but a legal form has no key.
    /// </summary>
    public static string? Company(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var text = WithoutQualifiers(name.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture));
        var words = Words(text);
        while (words.Count > 1 && LatinForms.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        var key = string.Concat(words);
        if (ChineseForms.Contains(key))
        {
            return null;
        }

        for (var stripped = true; stripped;)
        {
            stripped = false;
            foreach (var form in ChineseForms)
            {
                if (key.Length > form.Length && key.EndsWith(form, StringComparison.Ordinal))
                {
                    key = key[..^form.Length];
                    stripped = true;
                    break;
                }
            }
        }

        key = WithoutPlace(key);
        return key.Length == 0 || (words.Count == 1 && LatinForms.Contains(key)) ? null : key;
    }

    /// <summary>The domain of a company mailbox (lower case, without "mail." or "www."); null for public mail services and anything that isn't an address.</summary>
    public static string? EmailDomain(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var at = email.LastIndexOf('@');
        return at < 1 ? null : Domain(email[(at + 1)..]);
    }

    /// <summary>The domain of a website (https://www.tengda.com.cn/about → tengda.com.cn); null for none or a public mail domain.</summary>
    public static string? WebsiteDomain(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Host.Contains('.', StringComparison.Ordinal) ? Domain(uri.Host) : null;

    /// <summary>
    /// A phone number's digits (full-width digits folded), without the +86/0086 country code, so
    /// "+86 138-0013-8000", "（０２１）６２３４ ５６７８", "+86 21 6234 5678" and "13800138000" compare by what is dialled at home;
    /// fewer than 7 digits is no number.
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var text = phone.Normalize(NormalizationForm.FormKC).Trim();
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (text.StartsWith("+86", StringComparison.Ordinal) || digits.StartsWith("0086", StringComparison.Ordinal))
        {
            // Dialled from abroad a landline drops its trunk 0: +86 512 6688 1234 is 0512 6688 1234.
            digits = digits[(digits.StartsWith("0086", StringComparison.Ordinal) ? 4 : 2)..];
            digits = digits.StartsWith('1') ? digits : "0" + digits;
        }
        else if (digits.StartsWith("861", StringComparison.Ordinal) && digits.Length == 13)
        {
            digits = digits[2..];
        }

        return digits.Length < 7 ? null : digits;
    }

    private static string? Domain(string host)
    {
        var domain = host.Normalize(NormalizationForm.FormKC).Trim().TrimEnd('.').ToLowerInvariant();
        foreach (var prefix in (string[])["www.", "mail."])
        {
            if (domain.StartsWith(prefix, StringComparison.Ordinal) && domain.Count(c => c == '.') > 1)
            {
                domain = domain[prefix.Length..];
            }
        }

        return domain.Length == 0 || !domain.Contains('.', StringComparison.Ordinal) || PublicDomains.Contains(domain) ? null : domain;
    }

    /// <summary>
    /// A leading province or city (广东省深圳市腾达科技, 上海星辰科技) is where the company is registered,
    /// not who it is: it goes when at least three characters are left (上海星辰科技 is 星辰科技), else
    /// only its 省/市 goes (上海市银行 and 上海银行 stay 上海银行, never the 银行 of every city).
    /// </summary>
    private static string WithoutPlace(string key)
    {
        var (rest, places) = (key, new StringBuilder());
        for (var level = 0; level < 2 && Place().Match(rest) is { Success: true } place; level++)
        {
            places.Append(place.Groups["name"].Value);
            rest = rest[place.Length..];
        }

        return places.Length == 0 || rest.Length >= 3 ? rest : places + rest;
    }

    // Provinces, municipalities and the larger cities by name (with or without 省/市), and any other 2-3 character name ending in 省 or 市.
    [GeneratedRegex(
        @"^(?:(?<name>北京|上海|天津|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|"
        + @"深圳|广州|杭州|南京|苏州|成都|武汉|西安|长沙|郑州|济南|青岛|沈阳|大连|厦门|福州|宁波|无锡|合肥|昆明|南宁|哈尔滨|长春|石家庄|太原|南昌|贵阳|兰州|东莞|佛山|珠海)(?:省|市|自治区)?"
        + @"|(?<name>\p{IsCJKUnifiedIdeographs}{2,3}?)(?:省|市))",
        RegexOptions.CultureInvariant)]
    private static partial Regex Place();

    /// <summary>Drops what is in parentheses (a city, a former name) unless that is the whole name.</summary>
    private static string WithoutQualifiers(string text)
    {
        var kept = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var c in text)
        {
            if (c is '(' or '[' or '【')
            {
                depth++;
            }
            else if (c is ')' or ']' or '】')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                kept.Append(c);
            }
        }

        return Words(kept.ToString()).Count > 0 ? kept.ToString() : text;
    }

    /// <summary>Runs of letters and digits: spaces and punctuation (",", ".", "&amp;", "·", "-") separate words.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
