using System.Globalization;
using System.Text;

namespace CrmEngine.Duplicates.Matching;

/// <summary>The EXACT matcher's key: the value with width folded (NFKC: 全角 Ａ１ → A1), lower-cased, and runs of white space made one space.</summary>
public static class TextKeys
{
    public static string? Exact(string value)
    {
        var folded = Fold(value);
        var builder = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>Width and compatibility forms folded (NFKC), then lower case in the invariant culture.</summary>
    public static string Fold(string value) => value.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
}
