using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>
/// Reads run on connections the store keeps open with their prepared statements (SQLite): whatever
/// a previous read left behind, the next one sees the latest commit, its own parameters and the
/// current schema.
/// </summary>
public sealed class ReadConnectionTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();
    private CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private async Task<RecordData> CreateAsync(string name, long score) =>
        (await _engine.Pipeline.CreateAsync(_session, "lead", new Dictionary<string, object?> { ["name"] = name, ["score"] = score }, CancellationToken.None)).Record!;

    private Task<RecordData?> GetAsync(Guid id) => _engine.Reader.GetAsync(_session, "lead", id, includeDeleted: false, CancellationToken.None);

    private async Task<List<long?>> ScoresAsync() =>
        (await _engine.Reader.ListAsync(_session, new RecordQuery("lead") { First = 10, OrderBy = [new SortKey("name")] }, CancellationToken.None))
        .Edges.Select(e => e.Record.Get("score") as long?).ToList();

    [Fact]
    public async Task A_read_after_a_write_sees_the_write_though_the_read_before_it_stopped_after_one_row()
    {
        var lead = await CreateAsync("A", 10);
        Assert.Equal(10L, (await GetAsync(lead.Id))!.Get("score"));
        Assert.Equal([10L], await ScoresAsync());

        await _engine.Pipeline.UpdateAsync(_session, "lead", lead.Id, null, new Dictionary<string, object?> { ["score"] = 20L }, CancellationToken.None);
        await CreateAsync("B", 30);

        Assert.Equal(20L, (await GetAsync(lead.Id))!.Get("score"));
        Assert.Equal([20L, 30L], await ScoresAsync());
    }

    [Fact]
    public async Task The_same_statement_run_again_with_other_values_returns_their_rows()
    {
        var a = await CreateAsync("A", 1);
        var b = await CreateAsync("B", 2);

        Assert.Equal("A", (await GetAsync(a.Id))!.Get("name"));
        Assert.Equal("B", (await GetAsync(b.Id))!.Get("name"));
        Assert.Null(await GetAsync(Guid.CreateVersion7()));
        Assert.Equal("A", (await GetAsync(a.Id))!.Get("name"));
    }

    [Fact]
    public async Task A_read_after_a_field_is_added_sees_the_new_field()
    {
        var before = await CreateAsync("A", 1);
        Assert.Equal("A", (await GetAsync(before.Id))!.Get("name"));

        await _engine.Metadata.AddFieldAsync(_session.Store, "lead", Field("nickname", FieldType.Text), null, CancellationToken.None);
        _session = await _engine.SessionAsync(_session.TenantId, _session.Principal.UserId);
        var after = (await _engine.Pipeline.CreateAsync(_session, "lead", new Dictionary<string, object?> { ["name"] = "B", ["nickname"] = "小B" }, CancellationToken.None)).Record!;

        Assert.Equal("小B", (await GetAsync(after.Id))!.Get("nickname"));
        Assert.Null((await GetAsync(before.Id))!.Get("nickname"));
    }

    [Fact]
    public async Task Many_concurrent_reads_each_get_their_own_record()
    {
        var leads = new List<RecordData>();
        for (var i = 0; i < 40; i++)
        {
            leads.Add(await CreateAsync("L" + i, i));
        }

        var read = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () => (Expected: leads[i % 40], Got: await GetAsync(leads[i % 40].Id)))));

        Assert.All(read, r => Assert.Equal(r.Expected.Get("score"), r.Got!.Get("score")));
    }
}
