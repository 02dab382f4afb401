using System.Collections.Frozen;
using System.Text;

namespace CrmEngine.Duplicates.Matching;

/// <summary>
/// The COMPANY_NAME matcher's key: the name width-folded and lower-cased, parenthesized parts left
/// out ("阿里巴巴(中国)网络技术有限公司", "Acme (Europe) GmbH"), then read as words of letters and
/// digits (punctuation and spaces dropped), and legal forms taken off its end, again and again
/// ("集团股份有限公司", "Co., Ltd.", "Holdings Inc."). What is left, joined, is the key: 杭州示例网络科技有限公司
/// and 杭州示例网络科技 match, as do "Acme Co., Ltd." and "ACME Limited". Nothing left (a name that
/// is only a legal form) gives no key.
/// </summary>
public static class CompanyNames
{
    /// <summary>English legal forms, as whole words at the end of a name.</summary>
    private static readonly FrozenSet<string> EnglishForms = new[]
    {
        "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc",
        "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "oy", "pte", "pty", "kk",
        "holding", "holdings", "group", "intl", "international",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Chinese legal forms at the end of a name, longest first so 股份有限公司 goes before 有限公司.</summary>
    private static readonly string[] ChineseForms =
    [
        "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "集团公司", "集團公司", "控股集团", "控股集團",
        "分公司", "总公司", "總公司", "公司", "集团", "集團", "控股", "株式会社",
    ];

    public static string? Key(string name)
    {
        var words = Words(WithoutParentheses(TextKeys.Fold(name)));
        while (words.Count > 0 && TrimForm(words))
        {
        }

        return words.Count == 0 ? null : string.Concat(words);
    }

    /// <summary>Takes one legal form off the end; false when there is none.</summary>
    private static bool TrimForm(List<string> words)
    {
        var last = words[^1];
        if (EnglishForms.Contains(last))
        {
            words.RemoveAt(words.Count - 1);
            return true;
        }

        foreach (var form in ChineseForms)
        {
            if (last.Length > form.Length && last.EndsWith(form, StringComparison.Ordinal))
            {
                words[^1] = last[..^form.Length];
                return true;
            }

            if (last == form)
            {
                words.RemoveAt(words.Count - 1);
                return true;
            }
        }

        return false;
    }

    /// <summary>The text without its parenthesized parts (ASCII parentheses and brackets, after width folding: （中国） became (中国)).</summary>
    private static string WithoutParentheses(string text)
    {
        var builder = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var c in text)
        {
            if (c is '(' or '[' or '【' or '〔')
            {
                depth++;
            }
            else if (c is ')' or ']' or '】' or '〕')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The runs of letters and digits; everything else separates them.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
        }

        return words;
    }
}
