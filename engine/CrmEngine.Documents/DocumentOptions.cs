namespace CrmEngine.Documents;

/// <summary>Settings of generated documents ("Crm:Documents").</summary>
public sealed class DocumentOptions
{
    public const string Section = "Crm:Documents";

    /// <summary>
    /// The font PDFs are set in and embed: a .ttf/.otf, or a .ttc collection with <see cref="FontFamily"/> in it.
    /// Its outlines should be TrueType (glyf): PDFsharp 6.2 subsets those to the glyphs a document uses,
    /// but embeds a CFF-outlined font (Noto CJK) whole, about 13 MB per PDF.
    /// </summary>
    public string Font { get; set; } = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /// <summary>The face of a collection to use (the proportional face of Debian's fonts-wqy-microhei by default).</summary>
    public string FontFamily { get; set; } = "WenQuanYi Micro Hei";
}
