using PdfSharp.Fonts;

namespace CrmEngine.Documents.Pdf;

/// <summary>
/// The one font generated PDFs are set in: a face of a CJK font (by default WenQuanYi Micro Hei from
/// Debian's fonts-wqy-microhei), which has Latin glyphs too. PDFsharp finds no fonts of its own on Linux
/// and reads no .ttc collections, so the face is taken out of the collection once and given to
/// PDFsharp for every family it asks for; PDFsharp embeds it in each document. PDFsharp's font
/// resolver is process-wide: the first host to generate a PDF installs it.
/// PDFsharp 6.2 subsets fonts with TrueType outlines only, to the glyphs a document uses (a quote is
/// some tens of KB); a CFF-outlined face such as Noto CJK's would be embedded whole (about 13 MB).
/// </summary>
internal sealed class CjkFontResolver : IFontResolver
{
    public const string FaceName = "crm-document-face";

    private static readonly Lock Gate = new();
    private static CjkFontResolver? _installed;
    private readonly byte[] _face;

    private CjkFontResolver(byte[] face) => _face = face;

    /// <summary>Installs the resolver for a font file and family, once per process; false when the font can't be had.</summary>
    public static bool TryInstall(string path, string family)
    {
        lock (Gate)
        {
            if (_installed is not null)
            {
                return true;
            }

            if (!File.Exists(path))
            {
                return false;
            }

            var font = File.ReadAllBytes(path);
            var index = FontCollection.FamiliesOf(font).ToList().IndexOf(family);
            _installed = new CjkFontResolver(FontCollection.Extract(font, Math.Max(index, 0)));
            GlobalFontSettings.FontResolver = _installed;
            return true;
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(FaceName, bold, italic);

    public byte[] GetFont(string faceName) => _face;
}
