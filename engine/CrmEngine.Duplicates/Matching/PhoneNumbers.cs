using System.Collections.Frozen;
using System.Text;

namespace CrmEngine.Duplicates.Matching;

/// <summary>
/// The PHONE matcher's key: the number in E.164 (+, country code, national number, digits only).
/// "+86 138 0013 8000", "0086-138-0013-8000" and, read in China, "138-0013-8000" are all
/// +8613800138000. A national number loses its trunk prefix (0 in 010-1234 5678) before the
/// country code goes in front. Extensions ("ext. 12", "转 12") are left out. Fewer than 5 digits, or
/// more than E.164's 15, give no key.
/// </summary>
public static class PhoneNumbers
{
    /// <summary>Country calling codes by ISO 3166 country, for the countries rules are most often set for.</summary>
    public static readonly FrozenDictionary<string, string> CallingCodes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["CN"] = "86", ["HK"] = "852", ["MO"] = "853", ["TW"] = "886", ["SG"] = "65", ["MY"] = "60", ["JP"] = "81", ["KR"] = "82",
        ["US"] = "1", ["CA"] = "1", ["GB"] = "44", ["DE"] = "49", ["FR"] = "33", ["IT"] = "39", ["ES"] = "34", ["NL"] = "31",
        ["AU"] = "61", ["NZ"] = "64", ["IN"] = "91", ["TH"] = "66", ["VN"] = "84", ["ID"] = "62", ["PH"] = "63", ["AE"] = "971",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static string? ToE164(string value, string callingCode)
    {
        var text = TextKeys.Fold(value);
        var end = ExtensionStart(text);
        var digits = new StringBuilder(20);
        var international = false;
        for (var i = 0; i < end; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0)
            {
                international = true;
            }
        }

        var number = digits.ToString();
        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            number = number[2..];
        }

        if (!international)
        {
            number = callingCode + number.TrimStart('0');
        }

        return number.Length is >= 6 and <= 15 ? "+" + number : null;
    }

    private static readonly string[] ExtensionMarkers = ["ext", "x", "#", "转", "分机", "轉"];

    /// <summary>Where an extension starts ("ext", "x 12", "#12", "转12", "分机"), or the end.</summary>
    private static int ExtensionStart(string text)
    {
        var end = text.Length;
        foreach (var marker in ExtensionMarkers)
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0 && at < end)
            {
                end = at;
            }
        }

        return end;
    }
}
