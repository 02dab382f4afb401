using BenchmarkDotNet.Attributes;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
using CrmEngine.Sdk.Records;
using GraphQL;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordPage = CrmEngine.Engine.Records.Querying.RecordPage;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;

namespace CrmEngine.Benchmarks.Micro;

/// <summary>
/// One read, layer by layer, in process and single-threaded: the engine's reader (EF) alone, and
/// the whole GraphQL execution on top of it, over a tenant with 2,000 leads. Shows what each layer
/// adds to a request.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ReadPathBenchmarks
{
    private const string GetQuery = "query($id: ID!) { lead(id: $id) { id name company email phone status source score budget { amount currency } lastContactedAt } }";
    private const string PageQuery = "query($status: String!) { leads(first: 50, filter: { status: { eq: $status } }, orderBy: [{ lastContactedAt: DESC }]) { edges { cursor node { id name company email phone status source score budget { amount currency } lastContactedAt } } pageInfo { hasNextPage endCursor } } }";

    private ServiceProvider _services = null!;
    private CrmSession _session = null!;
    private RecordReader _reader = null!;
    private CrmGraphQLExecutor _executor = null!;
    private Guid _id;

    [GlobalSetup]
    public void Setup()
    {
        _services = MicroSetup.Services();
        var catalog = _services.GetRequiredService<TenantCatalog>();
        catalog.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        catalog.CreateTenantAsync("micro", "micro", CancellationToken.None).GetAwaiter().GetResult();
        var store = _services.GetRequiredService<TenantRegistry>().GetAsync("micro", CancellationToken.None).GetAwaiter().GetResult();
        _services.GetRequiredService<MetadataService>().CreateEntityAsync(store, LeadDataset.Lead(), null, CancellationToken.None).GetAwaiter().GetResult();
        _session = new CrmSession(store, new CrmPrincipal("micro", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        var random = new Random(1);
        _services.GetRequiredService<RecordImporter>().ImportAsync(_session, "lead",
            Enumerable.Range(0, 2000).Select(i => (IReadOnlyDictionary<string, object?>)LeadDataset.Row(i, random)), 1000, CancellationToken.None).GetAwaiter().GetResult();
        _reader = _services.GetRequiredService<RecordReader>();
        _executor = _services.GetRequiredService<CrmGraphQLExecutor>();
        _id = _reader.ListAsync(_session, new RecordQuery("lead") { First = 1 }, CancellationToken.None).GetAwaiter().GetResult().Edges[0].Record.Id;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _openContext?.Dispose();
        _services.Dispose();
    }

    private CrmEngine.Engine.Storage.TenantDbContext? _openContext;

    /// <summary>EF by id on a context whose connection stays open: what opening a connection per query costs EF.</summary>
    public async Task<int> EfGetByIdOnOpenConnection()
    {
        if (_openContext is null)
        {
            _openContext = _session.CreateContext();
            await _openContext.Database.OpenConnectionAsync();
        }

        var id = _id;
        var row = await _openContext.Records("lead").Where(r => EF.Property<Guid>(r, "id") == id && EF.Property<DateTime?>(r, "deleted_at") == null).FirstOrDefaultAsync();
        return row?.Count ?? 0;
    }

    /// <summary>The same EF query on a fresh pooled context (the connection opened for the query).</summary>
    public async Task<int> EfGetById()
    {
        await using var context = _session.CreateContext();
        var id = _id;
        var row = await context.Records("lead").Where(r => EF.Property<Guid>(r, "id") == id && EF.Property<DateTime?>(r, "deleted_at") == null).FirstOrDefaultAsync();
        return row?.Count ?? 0;
    }

    [Benchmark]
    public Task<RecordData?> ReaderGetById() => _reader.GetAsync(_session, "lead", _id, includeDeleted: false, CancellationToken.None);

    /// <summary>The same read by hand with ADO.NET on the same file: the floor EF and the engine add to.</summary>
    [Benchmark]
    public async Task<int> AdoGetById()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_session.Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM lead WHERE id = $id AND deleted_at IS NULL";
        command.Parameters.AddWithValue("$id", _id.ToString("D").ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        var values = 0;
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            values += reader.GetValues(row);
        }

        return values;
    }

    /// <summary>The page by hand with ADO.NET: the same SQL as EF sends, values read into arrays.</summary>
    [Benchmark]
    public async Task<int> AdoPage()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_session.Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM lead WHERE deleted_at IS NULL AND status = $status ORDER BY last_contacted_at DESC, id DESC LIMIT 51";
        command.Parameters.AddWithValue("$status", "new");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows++;
        }

        return rows;
    }

    [Benchmark]
    public Task<ExecutionResult> GraphQLGetById() =>
        _executor.ExecuteAsync(_session, new CrmGraphQLRequest(GetQuery, null, new Inputs(new Dictionary<string, object?> { ["id"] = _id.ToString() }), null), null, _services, CancellationToken.None);

    /// <summary>GraphQL execution with no resolver touching the database: the floor of a request.</summary>
    [Benchmark]
    public Task<ExecutionResult> GraphQLTypename() =>
        _executor.ExecuteAsync(_session, new CrmGraphQLRequest("{ __typename metadataVersion }", null, null, null), null, _services, CancellationToken.None);

    [Benchmark]
    public Task<RecordPage> ReaderPage() =>
        _reader.ListAsync(_session, new RecordQuery("lead") { First = 50, Filter = new Condition.Comparison("status", ComparisonOperator.Eq, "new"), OrderBy = [new SortKey("lastContactedAt", SortDirection.Desc)] }, CancellationToken.None);

    /// <summary>The same page reading only the benchmark's fields (as GraphQL asks for them).</summary>
    [Benchmark]
    public Task<RecordPage> ReaderPageFields() =>
        _reader.ListAsync(_session, new RecordQuery("lead") { First = 50, Filter = new Condition.Comparison("status", ComparisonOperator.Eq, "new"), OrderBy = [new SortKey("lastContactedAt", SortDirection.Desc)], Fields = ["name", "company", "email", "phone", "status", "source", "score", "budget", "lastContactedAt"] }, CancellationToken.None);

    /// <summary>The same page as a hand-written LINQ query: what EF costs when its query cache surely hits.</summary>
    [Benchmark]
    public async Task<int> StaticLinqPage()
    {
        await using var context = _session.CreateContext();
        var status = "new";
        var rows = await context.Records("lead")
            .Where(r => EF.Property<DateTime?>(r, "deleted_at") == null && EF.Property<string>(r, "status") == status)
            .OrderByDescending(r => EF.Property<DateTime?>(r, "last_contacted_at")).ThenByDescending(r => EF.Property<Guid>(r, "id"))
            .Take(51).ToListAsync();
        return rows.Count;
    }

    /// <summary>The same page as nodes with ids only: no cursors, one field per record.</summary>
    [Benchmark]
    public Task<ExecutionResult> GraphQLPageIds() =>
        _executor.ExecuteAsync(_session, new CrmGraphQLRequest("query($status: String!) { leads(first: 50, filter: { status: { eq: $status } }, orderBy: [{ lastContactedAt: DESC }]) { nodes { id } } }", null, new Inputs(new Dictionary<string, object?> { ["status"] = "new" }), null), null, _services, CancellationToken.None);

    [Benchmark]
    public Task<ExecutionResult> GraphQLPage() =>
        _executor.ExecuteAsync(_session, new CrmGraphQLRequest(PageQuery, null, new Inputs(new Dictionary<string, object?> { ["status"] = "new" }), null), null, _services, CancellationToken.None);

    /// <summary>Any query over the same tenant, with <c>$status</c> bound (for the per-field profile).</summary>
    public Task<ExecutionResult> GraphQL(string query) =>
        _executor.ExecuteAsync(_session, new CrmGraphQLRequest(query, null, new Inputs(new Dictionary<string, object?> { ["status"] = "new" }), null), null, _services, CancellationToken.None);
}
