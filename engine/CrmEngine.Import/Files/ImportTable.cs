using System.Globalization;
using System.Text;
using CrmEngine.Engine.Errors;
using CsvHelper;
using MiniExcelLibs;

namespace CrmEngine.Import.Files;

/// <summary>One data row of a file: its number as a spreadsheet shows it (the header is row 1) and its cells by column.</summary>
public sealed record ImportRow(int Number, object?[] Cells);

/// <summary>
/// A file's header and its data rows, read one at a time from disk (never the whole file in
/// memory). CSV cells are text; XLSX cells are what the workbook holds (text, numbers, dates,
/// booleans). Rows with no value at all are skipped. A file that turns out unreadable part way
/// (a broken workbook, bytes that are not UTF-8) ends the read with a typed <see cref="CrmException"/>.
/// </summary>
public abstract class ImportTable : IDisposable
{
    public abstract IReadOnlyList<string> Headers { get; }

    public abstract IEnumerable<ImportRow> Rows();

    public static ImportTable Open(string path, ImportFormat format) => format switch
    {
        ImportFormat.Csv => new CsvTable(path),
        _ => new XlsxTable(path),
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    protected static bool IsBlank(object?[] cells) => cells.All(c => c is null || (c is string s && string.IsNullOrWhiteSpace(s)));

    protected static IEnumerable<ImportRow> Guarded(IEnumerator<ImportRow> rows)
    {
        while (true)
        {
            try
            {
                if (!rows.MoveNext())
                {
                    yield break;
                }
            }
            catch (DecoderFallbackException)
            {
                throw new CrmException(ErrorCodes.ImportFileNotUtf8, "The file holds bytes that are not UTF-8 past its beginning; save it as CSV UTF-8 or XLSX.", "file");
            }
            catch (Exception e) when (e is CsvFormatException or InvalidDataException or FormatException or System.Xml.XmlException or InvalidOperationException)
            {
                throw new CrmException(ErrorCodes.ImportFileNotSupported, "The file could not be read past its beginning: it is not a well-formed CSV file or XLSX workbook.", "file");
            }

            yield return rows.Current;
        }
    }
}

/// <summary>
/// CSV through CsvHelper's byte reader (the separator detected: comma, semicolon, tab or bar; a
/// UTF-8 byte order mark dropped). The file's kind and encoding were checked on its first bytes
/// (<see cref="ImportFormats"/>).
/// </summary>
internal sealed class CsvTable : ImportTable
{
    private readonly CsvReader _csv;
    private readonly string[] _headers;

    public CsvTable(string path)
    {
        _csv = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true, SkipEmptyLines = true, TrimWhitespace = true });
        try
        {
            _headers = [.. _csv.Headers.Select(h => h.Trim())];
        }
        catch
        {
            _csv.Dispose();
            throw;
        }
    }

    public override IReadOnlyList<string> Headers => _headers;

    public override IEnumerable<ImportRow> Rows() => Guarded(Read().GetEnumerator());

    protected override void Dispose(bool disposing)
    {
        _csv.Dispose();
        base.Dispose(disposing);
    }

    private IEnumerable<ImportRow> Read()
    {
        while (_csv.Read())
        {
            var cells = new object?[_headers.Length];
            var count = Math.Min(_csv.FieldCount, cells.Length);
            for (var i = 0; i < count; i++)
            {
                cells[i] = _csv.GetString(i);
            }

            if (!IsBlank(cells))
            {
                // The spreadsheet's row number: the header is row 1.
                yield return new ImportRow((int)_csv.RowNumber + 1, cells);
            }
        }
    }
}

internal sealed class XlsxTable : ImportTable
{
    private readonly IEnumerator<IDictionary<string, object?>> _rows;
    private readonly List<string> _columns = [];
    private readonly List<string> _headers = [];

    public XlsxTable(string path)
    {
        try
        {
            _rows = MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().GetEnumerator();
            if (_rows.MoveNext())
            {
                foreach (var (column, value) in _rows.Current)
                {
                    if (Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } header)
                    {
                        _columns.Add(column);
                        _headers.Add(header.Trim());
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException or InvalidOperationException or FormatException or NotSupportedException or KeyNotFoundException)
        {
            throw new CrmException(ErrorCodes.ImportFileNotSupported, "The file is a zip archive but not a readable XLSX workbook.", "file");
        }
    }

    public override IReadOnlyList<string> Headers => _headers;

    public override IEnumerable<ImportRow> Rows() => Guarded(Read().GetEnumerator());

    protected override void Dispose(bool disposing)
    {
        _rows.Dispose();
        base.Dispose(disposing);
    }

    private IEnumerable<ImportRow> Read()
    {
        var number = 1;
        while (_rows.MoveNext())
        {
            number++;
            var cells = new object?[_columns.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = _rows.Current.TryGetValue(_columns[i], out var value) ? value : null;
            }

            if (!IsBlank(cells))
            {
                yield return new ImportRow(number, cells);
            }
        }
    }
}
