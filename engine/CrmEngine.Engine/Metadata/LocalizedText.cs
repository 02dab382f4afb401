using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// Display text in several languages, keyed by BCP 47 locale ("en", "zh-CN"). Immutable.
/// Serialized as a plain JSON object: <c>{"en":"Lead","zh-CN":"线索"}</c>.
/// </summary>
[JsonConverter(typeof(LocalizedTextJsonConverter))]
public sealed class LocalizedText : IEquatable<LocalizedText>
{
    public const string DefaultLocale = "en";

    private readonly SortedDictionary<string, string> _texts;

    public static LocalizedText Empty { get; } = new(new Dictionary<string, string>());

    public LocalizedText(IEnumerable<KeyValuePair<string, string>> texts)
    {
        _texts = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (locale, text) in texts)
        {
            _texts[NormalizeLocale(locale)] = text;
        }
    }

    public static LocalizedText Of(string en, string zhCn) => new([new("en", en), new("zh-CN", zhCn)]);

    public IReadOnlyDictionary<string, string> Texts => _texts;

    public bool IsEmpty => _texts.Count == 0;

    public bool Has(string locale) => _texts.ContainsKey(NormalizeLocale(locale));

    /// <summary>
    /// The text for a locale, falling back from "zh-Hans-CN" style tags to the language, then to
    /// English, then to whatever exists.
    /// </summary>
    public string? Get(string? locale)
    {
        if (_texts.Count == 0)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(locale))
        {
            var normalized = NormalizeLocale(locale);
            if (_texts.TryGetValue(normalized, out var exact))
            {
                return exact;
            }

            var language = normalized.Split('-')[0];
            var sameLanguage = _texts.FirstOrDefault(kv => kv.Key.Split('-')[0].Equals(language, StringComparison.OrdinalIgnoreCase));
            if (sameLanguage.Value is not null)
            {
                return sameLanguage.Value;
            }
        }

        return _texts.TryGetValue(DefaultLocale, out var en) ? en : _texts.First().Value;
    }

    public LocalizedText Merge(LocalizedText changes) => new(_texts.Concat(changes._texts).GroupBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.Last()));

    /// <summary>"zh-cn" and "zh_CN" become "zh-CN"; "EN" becomes "en".</summary>
    public static string NormalizeLocale(string locale)
    {
        var parts = locale.Trim().Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return string.Empty;
        }

        parts[0] = parts[0].ToLowerInvariant();
        for (var i = 1; i < parts.Length; i++)
        {
            parts[i] = parts[i].Length == 2 ? parts[i].ToUpperInvariant() : char.ToUpperInvariant(parts[i][0]) + parts[i][1..].ToLowerInvariant();
        }

        return string.Join('-', parts);
    }

    public bool Equals(LocalizedText? other) => other is not null && _texts.Count == other._texts.Count && _texts.All(kv => other._texts.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override bool Equals(object? obj) => Equals(obj as LocalizedText);

    public override int GetHashCode() => _texts.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value));

    public override string ToString() => Get(DefaultLocale) ?? string.Empty;

    private sealed class LocalizedTextJsonConverter : JsonConverter<LocalizedText>
    {
        public override LocalizedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options) ?? [];
            return new LocalizedText(texts);
        }

        public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (locale, text) in value._texts)
            {
                writer.WriteString(locale, text);
            }

            writer.WriteEndObject();
        }
    }
}
