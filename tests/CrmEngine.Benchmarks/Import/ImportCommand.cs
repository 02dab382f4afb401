using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Import;
using CrmEngine.Import.Jobs;
using CrmEngine.Import.Mapping;
using CsvHelper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Import;

/// <summary>
/// A CSV file of leads (1M rows by default, Chinese and English text, every field type of the
/// benchmark's lead) imported as a user's import job runs it: the file sniffed, mapped by header,
/// every cell read, every record validated and through the hooks, written in batches with audit and
/// outbox rows. Prints rows per second for the job alone (the file is written first, untimed).
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- import --rows 1000000 [--store postgres] [--batch 5000]
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(LoadCommand.Option(args, "--rows", "1000000"), CultureInfo.InvariantCulture);
        var batch = LoadCommand.Option(args, "--batch", "5000");
        var bench = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), null);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-import", bench.IsPostgres ? "pg" : "sqlite");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crm:Import:BatchSize"] = batch,
            ["Crm:Import:MaxFileBytes"] = (4L * 1024 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        }).Build();
        var services = await bench.FreshServicesAsync(directory, "import");
        services.AddCrmImport(configuration);
        await using var engine = services.BuildServiceProvider();
        var catalog = engine.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bench", "Benchmark", CancellationToken.None);
        var store = await engine.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        await engine.GetRequiredService<MetadataService>().CreateEntityAsync(store, LeadDataset.Lead(), null, CancellationToken.None);
        var session = new CrmSession(store, new CrmPrincipal("bench", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));

        var jobs = engine.GetRequiredService<ImportJobs>();
        var file = jobs.SpoolFile("bench");
        var written = Stopwatch.StartNew();
        await WriteCsvAsync(file, rows);
        Console.WriteLine($"Wrote {rows:N0} leads as CSV ({new FileInfo(file).Length / 1024.0 / 1024.0:F1} MB) in {written.Elapsed.TotalSeconds:F1} s.");

        var clock = Stopwatch.StartNew();
        var job = await jobs.StartAsync(session, new ImportRequest("lead"), file, "leads.csv", CancellationToken.None);
        var peak = 0L;
        while (true)
        {
            await Task.Delay(500);
            peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
            var now = (await jobs.GetAsync(session, job.Id, CancellationToken.None))!;
            if (now.Status is nameof(ImportJobStatus.Completed) or nameof(ImportJobStatus.Failed))
            {
                clock.Stop();
                Console.WriteLine($"Import job {now.Status}: {now.RowsRead:N0} read, {now.RowsCreated:N0} created, {now.RowsRefused:N0} refused in {clock.Elapsed.TotalSeconds:F1} s " +
                    $"= {now.RowsCreated / clock.Elapsed.TotalSeconds:N0} rows/s on {bench.Name} (batch {batch}; peak working set {peak / 1024 / 1024} MB). {now.ErrorCode} {now.ErrorMessage}");
                return now.Status == nameof(ImportJobStatus.Completed) && now.RowsRefused == 0 ? 0 : 1;
            }
        }
    }

    private static async Task WriteCsvAsync(string path, int rows)
    {
        string[] columns = ["name", "company", "email", "phone", "status", "source", "industry", "score", "budget", "lastContactedAt", "nextFollowUpOn", "qualified", "tags", "city", "notes"];
        await using var csv = CsvWriter.ToFile(path, null);
        foreach (var column in columns)
        {
            csv.WriteField(column);
        }

        csv.EndRecord();
        var random = new Random(rows);
        for (var i = 0; i < rows; i++)
        {
            var row = LeadDataset.Row(i, random);
            foreach (var column in columns)
            {
                csv.WriteField(row[column] switch
                {
                    null => null,
                    Dictionary<string, object?> money => ((decimal)money["amount"]!).ToString("#,0.00", CultureInfo.InvariantCulture),
                    DateTime at => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    DateOnly day => day.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
                    bool yes => yes ? "是" : "否",
                    List<string> tags => string.Join(';', tags),
                    IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                    var text => text.ToString(),
                });
            }

            csv.EndRecord();
        }

        await csv.FlushAsync(CancellationToken.None);
    }
}
