using System.Xml;
using CrmEngine.Documents.Merge;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CrmEngine.Documents.Docx;

/// <summary>
/// Fills a .docx template (OpenXml): merge fields in the body, headers and footers, and a table row
/// that names an inverse list (<c>{{lines.product.name}}</c>) repeated once per line. A merge field
/// Word split over several runs (it does, after an edit or a spell check) is put back together in the
/// first run of its paragraph, which keeps that run's formatting.
/// </summary>
public static class DocxFiller
{
    /// <summary>Whether the bytes are a Word document OpenXml can open, with a body.</summary>
    public static bool IsWordDocument(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, false);
            return document.MainDocumentPart?.Document?.Body is not null;
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or XmlException or FileFormatException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    public static byte[] Fill(byte[] template, IReadOnlyDictionary<string, object?> data)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = WordprocessingDocument.Open(stream, true))
        {
            var main = document.MainDocumentPart!;
            var roots = new List<OpenXmlElement?> { main.Document }
                .Concat(main.HeaderParts.Select(h => (OpenXmlElement?)h.Header))
                .Concat(main.FooterParts.Select(f => (OpenXmlElement?)f.Footer));
            var scope = new MergeScope(data);
            foreach (var root in roots.OfType<OpenXmlElement>())
            {
                RepeatLines(root, scope);
                FillParagraphs(root, scope);
            }
        }

        return stream.ToArray();
    }

    private static void RepeatLines(OpenXmlElement root, MergeScope scope)
    {
        foreach (var row in root.Descendants<TableRow>().ToList())
        {
            if (Placeholders.ListIn(row.InnerText, scope.Data) is not { } list)
            {
                continue;
            }

            foreach (var line in scope.Lines(list))
            {
                var copy = (TableRow)row.CloneNode(true);
                FillParagraphs(copy, line);
                row.InsertBeforeSelf(copy);
            }

            row.Remove();
        }
    }

    private static void FillParagraphs(OpenXmlElement root, MergeScope scope)
    {
        foreach (var paragraph in root.Descendants<Paragraph>())
        {
            var texts = paragraph.Descendants<Text>().ToList();
            var whole = string.Concat(texts.Select(t => t.Text));
            if (!Placeholders.HasAny(whole))
            {
                continue;
            }

            // Each merge field within one run: fill run by run, every run keeps its formatting.
            if (Placeholders.PathsIn(whole).Count() == texts.Sum(t => Placeholders.PathsIn(t.Text).Count()))
            {
                texts.ForEach(t => Set(t, Placeholders.Fill(t.Text, scope)));
                continue;
            }

            Set(texts[0], Placeholders.Fill(whole, scope));
            texts.Skip(1).ToList().ForEach(t => Set(t, string.Empty));
        }
    }

    private static void Set(Text text, string value)
    {
        text.Text = value;
        text.Space = SpaceProcessingModeValues.Preserve;
    }
}
