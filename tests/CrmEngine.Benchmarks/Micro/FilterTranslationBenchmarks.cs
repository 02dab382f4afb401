using BenchmarkDotNet.Attributes;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Micro;

/// <summary>
/// A GraphQL filter argument to the engine's filter tree to a LINQ predicate (ours), and that
/// predicate with sorting to SQL (EF's translation, which its query cache normally saves).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FilterTranslationBenchmarks
{
    private ServiceProvider _services = null!;
    private MetadataSnapshot _snapshot = null!;
    private EntityDefinition _entity = null!;
    private TenantDbContext _context = null!;
    private Dictionary<string, object?> _input = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = MicroSetup.Services();
        _snapshot = MicroSetup.Snapshot(3);
        _entity = _snapshot.Get("entity2");
        var model = _services.GetRequiredService<TenantModelFactory>().BuildForRuntime(_snapshot, ModelScope.All);
        _context = new TenantDbContext(new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:").UseModel(model).Options);
        _input = new Dictionary<string, object?>
        {
            ["status"] = new Dictionary<string, object?> { ["in"] = new List<object?> { "a", "b" } },
            ["count"] = new Dictionary<string, object?> { ["between"] = new List<object?> { 10L, 20L } },
            ["name"] = new Dictionary<string, object?> { ["contains"] = "华为" },
            ["or"] = new List<object?>
            {
                new Dictionary<string, object?> { ["tags"] = new Dictionary<string, object?> { ["hasAny"] = new List<object?> { "a", "c" } } },
                new Dictionary<string, object?> { ["parent"] = new Dictionary<string, object?> { ["status"] = new Dictionary<string, object?> { ["eq"] = "a" } } },
            },
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _context.Dispose();
        _services.Dispose();
    }

    [Benchmark]
    public object TranslateFilter()
    {
        var filter = FilterInput.Read(_snapshot, _entity, _input)!;
        return PredicateBuilder.Build(new QueryContext(_snapshot, _context, DateTime.UtcNow, TimeZoneInfo.Utc), _entity, filter);
    }

    [Benchmark]
    public string TranslateToSql()
    {
        var filter = FilterInput.Read(_snapshot, _entity, _input)!;
        var predicate = PredicateBuilder.Build(new QueryContext(_snapshot, _context, DateTime.UtcNow, TimeZoneInfo.Utc), _entity, filter);
        return _context.Records(_entity.Name).Where(predicate).OrderByDescending(r => EF.Property<DateTime?>(r, "seen_at")).Take(51).ToQueryString();
    }
}
