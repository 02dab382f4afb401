using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrmEngine.Benchmarks.Load;

namespace CrmEngine.Benchmarks.Export;

/// <summary>
/// <c>export</c>: a seeded tenant's leads (1M by default) exported through the real host's
/// <c>POST /export</c> as a client downloads them, every field of the load benchmark's lead, CSV or
/// XLSX. Prints the time, the rows (counted in the file), the bytes and the host's peak RSS.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- export --rows 1000000 [--format csv|xlsx] [--store postgres]
/// </summary>
public static class ExportCommand
{
    private const string Query = "{ leads { nodes { id name company email phone status source industry score budget { amount currency } lastContactedAt nextFollowUpOn qualified tags city notes } } }";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(LoadCommand.Option(args, "--rows", "1000000"), CultureInfo.InvariantCulture);
        var format = LoadCommand.Option(args, "--format", "csv");
        var root = LoadCommand.Option(args, "--data", Path.Combine(Path.GetTempPath(), "crm-bench"));
        var store = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), args.Contains("--postgres") ? LoadCommand.Option(args, "--postgres", string.Empty) : null);
        if (LoadCommand.HostAssembly() is not { } hostAssembly)
        {
            return 2;
        }

        var dataset = await Seeder.EnsureAsync(store, store.DirectoryFor(root, rows), rows);
        await using var server = await ServerProcess.StartAsync(hostAssembly, [], LoadCommand.HostEnvironment(dataset.HostSettings()), "/health");
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromHours(1) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/export?format={format}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = Query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dataset.ApiKey);
        var idle = server.PeakRssMiB();
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var file = Path.Combine(Path.GetTempPath(), "crm-bench-export." + format);
        await using (var output = File.Create(file))
        {
            await response.Content.CopyToAsync(output);
        }

        clock.Stop();
        var exported = format == "csv" ? CountCsvRows(file) : MiniExcelLibs.MiniExcel.Query(file, useHeaderRow: true).Count();
        Console.WriteLine($"Exported {exported:N0} of {dataset.Rows:N0} leads as {format.ToUpperInvariant()} ({new FileInfo(file).Length / 1024.0 / 1024.0:F0} MB) in {clock.Elapsed.TotalSeconds:F1} s "
            + $"= {exported / clock.Elapsed.TotalSeconds:N0} rows/s on {store.Name}; host peak RSS {server.PeakRssMiB():F0} MiB ({idle:F0} MiB before the export).");
        File.Delete(file);
        return exported == dataset.Rows ? 0 : 1;
    }

    // Rows, not lines: a quoted cell may hold a line break.
    private static long CountCsvRows(string path)
    {
        using var reader = new StreamReader(path);
        long rows = -1;
        var quoted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\n' && !quoted)
            {
                rows++;
            }
        }

        return rows;
    }
}
