using BenchmarkDotNet.Attributes;
using CrmEngine.Engine.Metadata;
using CrmEngine.GraphQL.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Micro;

/// <summary>Building one tenant's GraphQL schema (new graph types, Initialize) from its metadata: the cost of a metadata change.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SchemaBuildBenchmarks
{
    private ServiceProvider _services = null!;
    private TenantSchemaBuilder _builder = null!;
    private MetadataSnapshot _snapshot = null!;

    [Params(1, 10, 30)]
    public int Entities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = MicroSetup.Services();
        _builder = _services.GetRequiredService<TenantSchemaBuilder>();
        _snapshot = MicroSetup.Snapshot(Entities);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public object BuildSchema() => _builder.Build(_snapshot);
}
