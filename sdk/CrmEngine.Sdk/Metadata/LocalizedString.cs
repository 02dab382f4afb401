namespace CrmEngine.Sdk.Metadata;

/// <summary>A display text in several locales. The engine requires at least <c>en</c> and <c>zh-CN</c>.</summary>
public sealed class LocalizedString
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a text with English and Simplified Chinese versions.</summary>
    public LocalizedString(string en, string zhCn)
    {
        _texts["en"] = en;
        _texts["zh-CN"] = zhCn;
    }

    /// <summary>The texts by locale.</summary>
    public IReadOnlyDictionary<string, string> Texts => _texts;

    /// <summary>Adds or replaces the text for another locale, such as <c>ja</c>.</summary>
    public LocalizedString With(string locale, string text)
    {
        _texts[locale] = text;
        return this;
    }
}
