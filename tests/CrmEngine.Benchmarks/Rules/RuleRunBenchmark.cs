using BenchmarkDotNet.Attributes;
using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Scripting;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Benchmarks.Rules;

/// <summary>
/// One run of a simple rule, without the database: a fresh sandboxed engine, the script's globals,
/// the condition, the script and the diff of what it changed. This is what each before-rule adds to
/// a write, measured apart from SQLite's commit (which dominates, and varies with the disk).
/// <c>dotnet run -c Release --project tests/CrmEngine.Benchmarks -- --filter '*RuleRunBenchmark*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class RuleRunBenchmark
{
    private ServiceProvider _services = null!;
    private RuleRunner _runner = null!;
    private RuleRunRequest _request = null!;
    private string _directory = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public RuleRunOutcome RunOneRule()
    {
        var result = _runner.Run(_request, CancellationToken.None);
        return result.Changes.Count == 1 ? result.Outcome : throw new InvalidOperationException(result.Error?.Message ?? "no change");
    }

    private async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "crm-bench-rulerun", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<CrmEngineOptions>().Configure(o => o.DataDirectory = _directory);
        services.AddCrmEngineCore(_directory);
        services.AddCrmSqlite();
        services.AddCrmRules();
        _services = services.BuildServiceProvider();
        var catalog = _services.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bench", "bench", CancellationToken.None);
        var store = await _services.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        var entity = new EntityDefinition
        {
            Name = "lead",
            PluralName = "leads",
            Labels = LocalizedText.Of("Lead", "线索"),
            Fields = new[] { "name", "company", "grade", "status" }.Select(n => new FieldDefinition { Name = n, Type = FieldType.Text, Labels = LocalizedText.Of(n, n) })
                .Append(new FieldDefinition { Name = "score", Type = FieldType.Integer, Labels = LocalizedText.Of("score", "score") }).ToList(),
        };
        var definition = new RuleDefinition
        {
            Name = "grade",
            Entity = "lead",
            Triggers = [RuleTrigger.BeforeCreate],
            Condition = "record.status === 'new'",
            Script = "if (record.score >= 60) { record.grade = 'A'; } else { record.grade = 'B'; }",
        };
        var rule = _services.GetRequiredService<RuleSetCache>().Compile(Guid.CreateVersion7(), 1, definition);
        var values = new Dictionary<string, object?> { ["id"] = Guid.CreateVersion7(), ["name"] = "王芳", ["company"] = "华为", ["score"] = 75L, ["status"] = "new", ["grade"] = null };
        var session = new CrmSession(store, new CrmPrincipal("bench", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        var snapshot = new RecordSnapshot((Guid)values["id"]!, values, null, ChangeTracking.Live, new HashSet<string>());
        _request = new RuleRunRequest(rule, RuleTrigger.BeforeCreate, session, entity, snapshot, _services.GetRequiredService<IOptions<RuleOptions>>().Value.Limits, DryRun: false);
        _runner = _services.GetRequiredService<RuleRunner>();
    }
}
