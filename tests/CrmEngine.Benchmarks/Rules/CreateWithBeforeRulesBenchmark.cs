using BenchmarkDotNet.Attributes;
using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Rules;
using CrmEngine.Rules.Definitions;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Benchmarks.Rules;

/// <summary>
/// The cost of a create through the pipeline on a real SQLite file with 0, 1 and 5 simple
/// before-rules on the entity. Everything a rule run costs is in: the engine per run, the record
/// object, the condition, the script, applying its change, and the run log entry (its background
/// writer and the outbox dispatcher run as in the host). Target: 5 rules at most 1.3x none.
/// <c>dotnet run -c Release --project tests/CrmEngine.Benchmarks -- --filter '*CreateWithBeforeRules*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class CreateWithBeforeRulesBenchmark
{
    private readonly Dictionary<string, object?> _input = new() { ["name"] = "王芳", ["company"] = "深圳华为技术有限公司", ["score"] = 75L, ["status"] = "new" };
    private ServiceProvider _services = null!;
    private RecordPipeline _pipeline = null!;
    private CrmSession _session = null!;
    private string _directory = null!;

    [Params(0, 1, 5)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            hosted.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task<WriteResult> Create()
    {
        var result = await _pipeline.CreateAsync(_session, "lead", _input, CancellationToken.None);
        return result.Succeeded ? result : throw new InvalidOperationException(result.Errors[0].Message);
    }

    private async Task SetupAsync()
    {
        // CRM_BENCH_DIR=/dev/shm takes the disk's commit latency (the noisiest part on a shared
        // machine) out, leaving what the rules themselves cost.
        _directory = Path.Combine(Environment.GetEnvironmentVariable("CRM_BENCH_DIR") is { Length: > 0 } dir ? dir : Path.GetTempPath(), "crm-bench-rules", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<CrmEngineOptions>().Configure(o => o.DataDirectory = _directory);
        services.AddCrmEngineCore(_directory);
        services.AddCrmSqlite();
        services.AddCrmRules();
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var catalog = _services.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bench", "bench", CancellationToken.None);
        var store = await _services.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        var admin = new CrmSession(store, CrmPrincipal.System("bench"));
        await _services.GetRequiredService<MetadataService>().CreateEntityAsync(store, Lead(), admin.Principal.UserId, CancellationToken.None);
        _session = new CrmSession(store, new CrmPrincipal("bench", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        var rules = _services.GetRequiredService<RuleService>();
        for (var i = 0; i < Rules; i++)
        {
            var saved = await rules.SaveAsync(_session, null, new RuleDefinition
            {
                Name = "grade" + i,
                Entity = "lead",
                Triggers = [RuleTrigger.BeforeCreate],
                Condition = "record.status === 'new'",
                Script = $"if (record.score >= 60) {{ record.grade = 'A{i}'; }} else {{ record.grade = 'B{i}'; }}",
            }, true, CancellationToken.None);
            if (saved.Errors.Count > 0)
            {
                throw new InvalidOperationException(saved.Errors[0].Message);
            }
        }

        _pipeline = _services.GetRequiredService<RecordPipeline>();
    }

    private static EntityDefinition Lead() => new()
    {
        Name = "lead",
        PluralName = "leads",
        Labels = LocalizedText.Of("Lead", "线索"),
        Fields =
        [
            Field("name", FieldType.Text),
            Field("company", FieldType.Text),
            Field("score", FieldType.Integer),
            Field("grade", FieldType.Text),
            Field("status", FieldType.Picklist) with { Options = new[] { "new", "qualified" }.Select((v, i) => new PicklistOption { Value = v, Labels = LocalizedText.Of(v, v), Order = i }).ToList() },
        ],
    };

    private static FieldDefinition Field(string name, FieldType type) => new() { Name = name, Type = type, Labels = LocalizedText.Of(name, name) };
}
