using System.Data;
using System.Globalization;
using CsvHelper;
using MiniExcelLibs;

namespace CrmEngine.GraphQL.Execution.Export;

/// <summary>
/// The export formats: CSV streamed as pages arrive, XLSX built in a file. The host's /export and the
/// reports' scheduled deliveries (their attachments) write with these.
/// </summary>
public static class ExportWriters
{
    /// <summary>
    /// UTF-8 with a byte order mark (so spreadsheet programs read Chinese text right), one header line
    /// of the column paths. Text a spreadsheet would run as a formula (starting with = + - @) is
    /// escaped as the import's error report escapes it: an exported cell never runs.
    /// </summary>
    public static async Task WriteCsvAsync(Stream output, IReadOnlyList<ExportColumn> columns, IAsyncEnumerable<List<object?[]>> pages, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape, ValidateFieldCount = false }, leaveOpen: true);
        foreach (var column in columns)
        {
            csv.WriteField(column.Header);
        }

        await csv.EndRecordAsync(cancellationToken);
        await foreach (var rows in pages.WithCancellation(cancellationToken))
        {
            foreach (var row in rows)
            {
                foreach (var value in row)
                {
                    csv.WriteField(value switch
                    {
                        null => string.Empty,
                        string s => s,
                        bool b => b ? "true" : "false",
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        var other => other.ToString(),
                    });
                }

                await csv.EndRecordAsync(cancellationToken);
            }

            await csv.FlushAsync(cancellationToken);
        }
    }

    /// <summary>One sheet, a header row of the column paths, numbers and booleans as such; written to <paramref name="path"/>.</summary>
    public static void WriteXlsx(string path, IReadOnlyList<ExportColumn> columns, IEnumerable<List<object?[]>> pages)
    {
        var rows = pages.SelectMany(page => page).Select(row =>
        {
            var cells = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                cells[columns[i].Header] = row[i];
            }

            return (IDictionary<string, object?>)cells;
        });
        using var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            // No rows: a table with the columns, so the sheet still has its header.
            using var empty = new DataTable("Export");
            foreach (var column in columns)
            {
                empty.Columns.Add(column.Header, typeof(string));
            }

            MiniExcel.SaveAs(path, empty, sheetName: "Export", excelType: ExcelType.XLSX, overwriteFile: true);
            return;
        }

        MiniExcel.SaveAs(path, Rest(enumerator), sheetName: "Export", excelType: ExcelType.XLSX, overwriteFile: true);
    }

    private static IEnumerable<IDictionary<string, object?>> Rest(IEnumerator<IDictionary<string, object?>> started)
    {
        do
        {
            yield return started.Current;
        }
        while (started.MoveNext());
    }
}
