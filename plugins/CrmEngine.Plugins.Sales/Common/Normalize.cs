using System.Globalization;
using System.Text;

namespace CrmEngine.Plugins.Sales.Common;

/// <summary>
/// The keys duplicates are found by: e-mail in lower case, phone as its digits without the +86
/// country code, company names without case, punctuation, spaces and legal-form suffixes, so
/// "深圳市腾达科技有限公司" and "深圳市腾达科技" or "ACME Co., Ltd." and "acme" match.
/// </summary>
internal static class Normalize
{
    private static readonly string[] LegalForms =
    [
        "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "corporation", "company", "limited", "co ltd", "coltd", "corp", "inc", "llc", "ltd", "gmbh", "co",
    ];

    /// <summary>Whether two values of a lead field say the same: e-mail, phone and company by their keys, anything else as trimmed text.</summary>
    public static bool Same(string field, object? a, object? b) => field switch
    {
        "email" => Email(a as string) == Email(b as string),
        "phone" => Phone(a as string) == Phone(b as string),
        "company" => Company(a as string) == Company(b as string),
        _ => string.Equals(System.Convert.ToString(a, CultureInfo.InvariantCulture)?.Trim(), System.Convert.ToString(b, CultureInfo.InvariantCulture)?.Trim(), StringComparison.Ordinal),
    };

    public static string? Email(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.StartsWith("86", StringComparison.Ordinal) && digits.Length == 13)
        {
            digits = digits[2..];
        }

        return digits.Length == 0 ? null : digits;
    }

    public static string? Company(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // Full-width letters and digits become ASCII (ＡＢＣ → ABC), then case and separators go.
        var text = name.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                kept.Append(c);
            }
            else if (kept.Length > 0 && kept[^1] != ' ')
            {
                kept.Append(' ');
            }
        }

        var key = kept.ToString().Trim();
        var stripped = true;
        while (stripped)
        {
            stripped = false;
            foreach (var form in LegalForms)
            {
                if (key.Length > form.Length && key.EndsWith(form, StringComparison.Ordinal))
                {
                    key = key[..^form.Length].TrimEnd();
                    stripped = true;
                }
            }
        }

        key = key.Replace(" ", string.Empty, StringComparison.Ordinal);
        return key.Length == 0 ? null : key;
    }
}
