using System.Globalization;
using System.Text.Json;
using CrmEngine.Engine.Records;
using CsvHelper;

namespace CrmEngine.Import.Jobs;

/// <summary>
/// A job's error report as CSV (UTF-8 with a BOM, so Excel reads Chinese right): one line per refused
/// row with its row number, its cells as the file had them under the file's headers, and its errors
/// ("column: CODE message", separated by " | "). Fix the rows in it and import the file again.
/// Written page by page from the store, never whole in memory.
/// </summary>
public sealed class ImportReport(ImportJobStore store)
{
    private const int PageSize = 1000;

    public async Task WriteAsync(CrmSession session, ImportJobRow job, Stream output, CancellationToken cancellationToken)
    {
        // Cells starting like a formula (=, +, -, @) are written as text: the report is opened in spreadsheets.
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape, ValidateFieldCount = false }, leaveOpen: true);
        var headers = job.Headers is null ? [] : JsonSerializer.Deserialize<List<string>>(job.Headers) ?? [];
        csv.WriteField("row");
        foreach (var header in headers)
        {
            csv.WriteField(header);
        }

        csv.WriteField("errors");
        await csv.EndRecordAsync(cancellationToken);
        var after = 0L;
        (int Number, List<string?> Cells, List<string> Errors)? line = null;
        while (true)
        {
            var page = await store.ErrorsAsync(session, job.Id, PageSize, after, cancellationToken);
            foreach (var error in page)
            {
                if (line is { } open && open.Number != error.RowNumber)
                {
                    await WriteLineAsync(csv, open, headers.Count, cancellationToken);
                    line = null;
                }

                line ??= (error.RowNumber, error.Cells is null ? [] : JsonSerializer.Deserialize<List<string?>>(error.Cells) ?? [], []);
                line.Value.Errors.Add($"{(error.ColumnName is null ? "" : error.ColumnName + ": ")}{error.Code} {error.Message}");
                after = error.Seq;
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        if (line is { } last)
        {
            await WriteLineAsync(csv, last, headers.Count, cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static async Task WriteLineAsync(CsvWriter csv, (int Number, List<string?> Cells, List<string> Errors) line, int columns, CancellationToken cancellationToken)
    {
        csv.WriteField(line.Number.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < columns; i++)
        {
            csv.WriteField(i < line.Cells.Count ? line.Cells[i] : null);
        }

        csv.WriteField(string.Join(" | ", line.Errors));
        await csv.EndRecordAsync(cancellationToken);
    }
}
