using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Duplicates;
using CrmEngine.Duplicates.Matching;
using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Scanning;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Import;
using CrmEngine.Sdk.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Duplicates;

/// <summary>
/// A duplicate scan over accounts (100k by default) as startDuplicateScan runs it: every live record
/// read, its COMPANY_NAME key computed and stored with the others of its batch, then the keys several
/// records share grouped into duplicate sets. About one account in ten has a twin under another legal
/// form (有限公司 / Co., Ltd.). The accounts are imported first, untimed, and the rule's own
/// key-building job runs before the timed scan.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- dupes --rows 100000 [--store postgres]
/// </summary>
public static class DuplicateScanCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(LoadCommand.Option(args, "--rows", "100000"), CultureInfo.InvariantCulture);
        var bench = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), null);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-dupes", bench.IsPostgres ? "pg" : "sqlite");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        var services = await bench.FreshServicesAsync(directory, "dupes");
        services.AddCrmImport(configuration);
        services.AddCrmDuplicates(configuration);
        await using var engine = services.BuildServiceProvider();
        var catalog = engine.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bench", "Benchmark", CancellationToken.None);
        var store = await engine.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        await engine.GetRequiredService<MetadataService>().CreateEntityAsync(store, Account(), null, CancellationToken.None);
        store = await engine.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        var session = new CrmSession(store, new CrmPrincipal("bench", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));

        var seeding = Stopwatch.StartNew();
        var imported = await engine.GetRequiredService<RecordImporter>().ImportAsync(session, "account", Accounts(rows), 5000, CancellationToken.None);
        Console.WriteLine($"Imported {imported.Imported:N0} accounts in {seeding.Elapsed.TotalSeconds:F1} s.");

        var rules = engine.GetRequiredService<DuplicateRuleService>();
        var rule = await rules.CreateAsync(session, new DuplicateRuleInput("Same company", "account", true, RuleAction.Warn, RuleAction.Warn, [new RuleCondition("name", Matcher.CompanyName)]), CancellationToken.None);
        var keying = Stopwatch.StartNew();
        await WaitAsync(engine, session, (await engine.GetRequiredService<DuplicateJobs>().ListAsync(session, rule.Id, 1, CancellationToken.None))[0].Id);
        Console.WriteLine($"The new rule's key-building job took {keying.Elapsed.TotalSeconds:F1} s.");

        var clock = Stopwatch.StartNew();
        var job = await rules.ScanAsync(session, rule.Id, CancellationToken.None);
        var done = await WaitAsync(engine, session, job.Id);
        clock.Stop();
        Console.WriteLine($"Duplicate scan {done.Status}: {done.RecordsRead:N0} of {done.RecordsTotal:N0} accounts read, {done.SetsFound:N0} duplicate sets, in {clock.Elapsed.TotalSeconds:F1} s on {bench.Name} " +
            $"(target < 30 s). {done.ErrorCode} {done.ErrorMessage}");
        return done.Status == nameof(DuplicateJobStatus.Completed) ? 0 : 1;
    }

    private static async Task<DuplicateJobRow> WaitAsync(IServiceProvider engine, CrmSession session, Guid job)
    {
        var jobs = engine.GetRequiredService<DuplicateJobs>();
        while (true)
        {
            await Task.Delay(100);
            var now = (await jobs.GetAsync(session, job, CancellationToken.None))!;
            if (now.Status is nameof(DuplicateJobStatus.Completed) or nameof(DuplicateJobStatus.Failed))
            {
                return now;
            }
        }
    }

    private static EntityDefinition Account()
    {
        static FieldDefinition Field(string name, FieldType type) => new() { Name = name, Type = type, Labels = LocalizedText.Of(Naming.Humanize(name), name) };
        return new EntityDefinition
        {
            Name = "account",
            PluralName = "accounts",
            Labels = LocalizedText.Of("Account", "客户"),
            Fields = [Field("name", FieldType.Text) with { Required = true }, Field("email", FieldType.Email), Field("phone", FieldType.Phone), Field("city", FieldType.Text)],
        };
    }

    /// <summary>Accounts with distinct names, but every tenth the twin of the one before under another legal form.</summary>
    private static IEnumerable<IReadOnlyDictionary<string, object?>> Accounts(int rows)
    {
        string[] cities = ["杭州", "上海", "北京", "深圳", "Suzhou", "Ningbo"];
        for (var i = 0; i < rows; i++)
        {
            var n = i % 20 == 19 ? i - 1 : i % 20 == 9 ? i - 2 : i;
            var name = n % 2 == 0
                ? $"{cities[n % cities.Length]}示例{n}网络科技{(i == n ? "有限公司" : "股份有限公司")}"
                : $"Example {n} Trading{(i == n ? " Co., Ltd." : " Limited")}";
            yield return new Dictionary<string, object?>
            {
                ["name"] = name,
                ["email"] = $"contact{i}@example{i}.com",
                ["phone"] = $"+86 138 {i / 10000:D4} {i % 10000:D4}",
                ["city"] = cities[i % cities.Length],
            };
        }
    }
}
