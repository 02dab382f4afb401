using CrmEngine.Documents.Merge;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CrmEngine.Documents.Pdf;

/// <summary>
/// Lays out a <see cref="PdfLayout"/> on A4 pages (PDFsharp): the title, the header fields as label and
/// value, the line table (its header repeated on each new page, cell text cut to its column), the totals
/// right-aligned, and the footer. Text is set in the CJK face <see cref="CjkFontResolver"/> installed.
/// </summary>
internal sealed class PdfRenderer : IDisposable
{
    private const double Margin = 50;
    private const double RowHeight = 18;
    // One style and one encoding only: PDFsharp embeds a copy of the face for each style and for
    // each encoding (it picks WinAnsi for Latin-only text unless told Unicode), see CjkFontResolver.
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly XFont Title = new(CjkFontResolver.FaceName, 18, XFontStyleEx.Regular, Unicode);
    private static readonly XFont Body = new(CjkFontResolver.FaceName, 10, XFontStyleEx.Regular, Unicode);
    private static readonly XFont Strong = new(CjkFontResolver.FaceName, 10.5, XFontStyleEx.Regular, Unicode);

    private readonly PdfDocument _document = new();
    private XGraphics _graphics = null!;
    private PdfPage _page = null!;
    private double _y;

    public static byte[] Render(PdfLayout layout, IReadOnlyDictionary<string, object?> data, string title)
    {
        using var renderer = new PdfRenderer();
        renderer._document.Info.Title = title;
        renderer.NewPage();
        renderer.Draw(layout, new MergeScope(data));
        renderer._graphics.Dispose();
        using var stream = new MemoryStream();
        renderer._document.Save(stream);
        return stream.ToArray();
    }

    public void Dispose()
    {
        _graphics.Dispose();
        _document.Dispose();
    }

    private double Width => _page.Width.Point - (2 * Margin);

    private void Draw(PdfLayout layout, MergeScope scope)
    {
        if (layout.Title is { } title)
        {
            _graphics.DrawString(Placeholders.Fill(title, scope), Title, XBrushes.Black, new XRect(Margin, _y, Width, 24), XStringFormats.TopLeft);
            _y += 36;
        }

        foreach (var field in layout.Fields)
        {
            Room(RowHeight);
            _graphics.DrawString(Placeholders.Fill(field.Label, scope), Strong, XBrushes.DimGray, new XRect(Margin, _y, 120, RowHeight), XStringFormats.TopLeft);
            Cell(Placeholders.Fill(field.Value, scope), Body, Margin + 120, Width - 120, PdfAlign.Left);
            _y += RowHeight;
        }

        if (layout.Table is { } table)
        {
            _y += 12;
            DrawTable(table, scope);
        }

        if (layout.Totals.Count > 0)
        {
            _y += 8;
            foreach (var total in layout.Totals)
            {
                Room(RowHeight);
                Cell(Placeholders.Fill(total.Label, scope), Strong, Margin, Width - 140, PdfAlign.Right);
                Cell(Placeholders.Fill(total.Value, scope), Strong, Margin + Width - 130, 130, PdfAlign.Right);
                _y += RowHeight;
            }
        }

        if (layout.Footer is { } footer)
        {
            Room(RowHeight * 2);
            _y += RowHeight;
            Cell(Placeholders.Fill(footer, scope), Body, Margin, Width, PdfAlign.Left);
        }
    }

    private void DrawTable(PdfTable table, MergeScope scope)
    {
        var total = table.Columns.Sum(c => c.Width);
        var widths = table.Columns.Select(c => Width * c.Width / total).ToList();
        var header = table.Columns.Select(c => Placeholders.Fill(c.Header, scope)).ToList();
        Header(table, widths, header);
        foreach (var line in scope.Lines(table.Lines))
        {
            if (Room(RowHeight))
            {
                Header(table, widths, header);
            }

            Row(table.Columns.Select(c => Placeholders.Fill(c.Value, line)).ToList(), table, widths, Body);
            _graphics.DrawLine(XPens.LightGray, Margin, _y, Margin + Width, _y);
        }
    }

    private void Header(PdfTable table, List<double> widths, List<string> header)
    {
        _graphics.DrawRectangle(XBrushes.WhiteSmoke, Margin, _y, Width, RowHeight);
        Row(header, table, widths, Strong);
    }

    private void Row(List<string> cells, PdfTable table, List<double> widths, XFont font)
    {
        var x = Margin;
        for (var i = 0; i < cells.Count; i++)
        {
            Cell(cells[i], font, x + 4, widths[i] - 8, table.Columns[i].Align);
            x += widths[i];
        }

        _y += RowHeight;
    }

    /// <summary>Text on the current line, cut with an ellipsis to fit its width.</summary>
    private void Cell(string text, XFont font, double x, double width, PdfAlign align)
    {
        if (_graphics.MeasureString(text, font).Width > width)
        {
            while (text.Length > 0 && _graphics.MeasureString(text + "…", font).Width > width)
            {
                text = text[..^1];
            }

            text += "…";
        }

        var format = align switch
        {
            PdfAlign.Right => XStringFormats.TopRight,
            PdfAlign.Center => XStringFormats.TopCenter,
            _ => XStringFormats.TopLeft,
        };
        _graphics.DrawString(text, font, XBrushes.Black, new XRect(x, _y + 3, width, RowHeight), format);
    }

    /// <summary>Starts a new page when the height does not fit on this one; whether it did.</summary>
    private bool Room(double height)
    {
        if (_y + height <= _page.Height.Point - Margin)
        {
            return false;
        }

        _graphics.Dispose();
        NewPage();
        return true;
    }

    private void NewPage()
    {
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _graphics = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }
}
