using CrmEngine.Engine.Records.Changes;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CrmEngine.Host.Tests.Changes.ChangesFeed;

namespace CrmEngine.Host.Tests.Changes;

/// <summary>
/// The feed keeps changes for Crm:ChangeRetention (here 2 days): a cursor older than that is refused
/// with CURSOR_EXPIRED, and handled journal rows past the retention and a day's margin are pruned.
/// </summary>
public sealed class ChangesRetentionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CrmHost _host;

    public ChangesRetentionTests()
    {
        _host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:ChangeRetention"] = "2.00:00:00",
            // The test prunes when it means to; the background pass would run whenever the clock moves.
            ["Crm:ChangePruneInterval"] = "365.00:00:00",
        })
        {
            ConfigureTestServices = services => services.AddSingleton<TimeProvider>(_time),
        };
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_cursor_older_than_the_retention_is_refused_as_expired_and_a_fresh_sync_works()
    {
        using var office = await Office.OpenAsync(_host);
        var (_, cursor) = await AllAsync(office.Admin, since: null);

        _time.Advance(TimeSpan.FromDays(1));
        var (_, renewed) = await AllAsync(office.Admin, cursor);
        _time.Advance(TimeSpan.FromDays(1.5));

        // 2.5 days after it was issued, the first cursor expired; the one from a day later still holds.
        Assert.Equal("CURSOR_EXPIRED", (await office.Admin.PostAsync(Query, new { since = cursor })).FirstErrorCode);
        await AllAsync(office.Admin, renewed);
        Assert.Equal(3, (await new Replica(office.Admin).PullAsync()).Names.Count());
    }

    [Fact]
    public async Task Handled_changes_are_pruned_once_past_the_retention_and_a_day()
    {
        using var office = await Office.OpenAsync(_host);
        var tenant = office.Admin.TenantId;
        await _host.Service<Engine.Records.Pipeline.OutboxDispatcher>().DrainAsync(tenant, CancellationToken.None);
        var pruner = _host.Service<ChangeJournalPruner>();
        var before = await JournalSizeAsync(tenant);
        Assert.True(before > 0);

        _time.Advance(TimeSpan.FromDays(2.5));
        Assert.Equal(0, await pruner.PruneAsync(tenant, CancellationToken.None));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(before, await pruner.PruneAsync(tenant, CancellationToken.None));
        Assert.Equal(0, await JournalSizeAsync(tenant));
    }

    private async Task<int> JournalSizeAsync(string tenant)
    {
        var store = await _host.Service<TenantRegistry>().GetAsync(tenant, CancellationToken.None);
        await using var context = store.CreateContext();
        return await context.Set<OutboxRow>().CountAsync();
    }
}
