namespace CrmEngine.Documents;

/// <summary>Settings of generated documents ("Crm:Documents").</summary>
public sealed class DocumentOptions
{
    public const string Section = "Crm:Documents";

    /// <summary>The font PDFs are set in and embed: a .ttf/.otf, or a .ttc collection with <see cref="FontFamily"/> in it.</summary>
    public string Font { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    /// <summary>The face of a collection to use (Simplified Chinese glyph forms by default).</summary>
    public string FontFamily { get; set; } = "Noto Sans CJK SC";
}
