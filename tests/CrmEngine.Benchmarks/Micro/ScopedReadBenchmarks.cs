using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Sharing;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Records;
using Microsoft.Extensions.DependencyInjection;
using RecordPage = CrmEngine.Engine.Records.Querying.RecordPage;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;

namespace CrmEngine.Benchmarks.Micro;

/// <summary>
/// The engine's reader, a filtered and sorted page of 50 of 2,000 leads, read by the same user with
/// three kinds of access: an admin (no read predicate), a rep of own scope holding no share (the
/// owner predicate alone: what sharing must not make dearer), and the same rep holding a share
/// (the owner predicate or the share subquery).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ScopedReadBenchmarks
{
    private ServiceProvider _services = null!;
    private RecordReader _reader = null!;
    private CrmSession _admin = null!;
    private CrmSession _ownScope = null!;
    private CrmSession _shareHolder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = MicroSetup.Services();
        var catalog = _services.GetRequiredService<TenantCatalog>();
        catalog.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        catalog.CreateTenantAsync("scoped", "scoped", CancellationToken.None).GetAwaiter().GetResult();
        var store = _services.GetRequiredService<TenantRegistry>().GetAsync("scoped", CancellationToken.None).GetAwaiter().GetResult();
        _services.GetRequiredService<MetadataService>().CreateEntityAsync(store, LeadDataset.Lead(), null, CancellationToken.None).GetAwaiter().GetResult();
        var user = Guid.CreateVersion7();
        var principal = new CrmPrincipal("scoped", user, null, [CrmPrincipal.AdminRole]);
        _admin = new CrmSession(store, principal);
        var random = new Random(1);
        _services.GetRequiredService<RecordImporter>().ImportAsync(_admin, "lead",
            Enumerable.Range(0, 2000).Select(i => (IReadOnlyDictionary<string, object?>)LeadDataset.Row(i, random)), 1000, CancellationToken.None).GetAwaiter().GetResult();
        _reader = _services.GetRequiredService<RecordReader>();

        var rep = new RoleDefinition { Name = "rep", Entities = new Dictionary<string, EntityGrant> { [RoleDefinition.AnyEntity] = new() { Read = AccessScope.Own } } };
        var roles = new[] { new RoleRow { Name = "rep", Definition = JsonSerializer.Serialize(rep, MetadataJson.Options) } };
        var assigned = new[] { new UserRoleRow { UserId = user, Role = "rep" } };
        var asRep = principal with { Roles = [] };
        _ownScope = new CrmSession(store, asRep, new Permissions(asRep, new TenantDirectory([], [], [], roles, assigned)));
        var holding = new SharingPolicy([], [], [], [user]);
        _shareHolder = new CrmSession(store, asRep, new Permissions(asRep, new TenantDirectory([], [], [], roles, assigned, holding)));
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task<RecordPage> AdminPage() => Page(_admin);

    [Benchmark]
    public Task<RecordPage> OwnScopePage() => Page(_ownScope);

    [Benchmark]
    public Task<RecordPage> ShareHolderPage() => Page(_shareHolder);

    private Task<RecordPage> Page(CrmSession session) =>
        _reader.ListAsync(session, new RecordQuery("lead") { First = 50, Filter = new Condition.Comparison("status", ComparisonOperator.Eq, "new"), OrderBy = [new SortKey("lastContactedAt", SortDirection.Desc)] }, CancellationToken.None);
}
