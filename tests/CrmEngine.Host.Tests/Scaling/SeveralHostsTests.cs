using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Postgres;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Scaling;

/// <summary>
/// Three real hosts (Kestrel, background services, LISTEN/NOTIFY) on one PostgreSQL database:
/// what one host changes, the others serve within a second, because the change reaches them as a
/// notification (each host records the events it receives from the others).
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);
    private readonly TestStore _store;
    private readonly List<(CrmHost Host, ConcurrentQueue<ChangeEvent> Received)> _hosts = [];

    public SeveralHostsTests()
    {
        _store = TestStore.CreatePostgres();
    }

    public void Dispose()
    {
        foreach (var (host, _) in _hosts)
        {
            host.Dispose();
        }

        _store.Dispose();
    }

    [PostgresFact]
    public async Task An_entity_and_a_field_added_through_one_host_are_served_by_the_others_within_a_second()
    {
        var (a, _) = await HostAsync();
        var (b, bReceived) = await HostAsync();
        var (c, cReceived) = await HostAsync();
        using var admin = await a.NewTenantAsync();
        using var onB = b.Client(admin.TenantId, admin.Key);
        using var onC = c.Client(admin.TenantId, admin.Key);
        // B and C have the tenant's schema cached before the change.
        Assert.Empty((await onB.QueryAsync("{ entities { name } }"))["entities"]!.AsArray());
        Assert.Empty((await onC.QueryAsync("{ entities { name } }"))["entities"]!.AsArray());

        var created = await admin.MutateAsync(CreateEntity, new { input = new { name = "project", labels = Labels("Project", "项目"), fields = new[] { Field("title", "TEXT") } } });
        var version = created["metadataVersion"]!.GetValue<long>();

        // The notification reaches B and C, and they have reloaded the tenant, within a second
        // (the recorder is the last handler: it sees the event once the engine's handlers are done).
        await ReceivedWithinAsync(bReceived, e => e.Kind == ChangeKinds.Metadata && e.TenantId == admin.TenantId && e.Version == version);
        await ReceivedWithinAsync(cReceived, e => e.Kind == ChangeKinds.Metadata && e.TenantId == admin.TenantId && e.Version == version);
        // From then on they serve the new schema: the very next request works, no retry.
        await onB.MutateAsync("mutation { createProject(input: { title: \"on b\" }) { project { id } userErrors { code } } }");
        Assert.Equal(1, (await onC.QueryAsync("{ projects { totalCount } }"))["projects"]!["totalCount"]!.GetValue<int>());

        var added = (await admin.MutateAsync(AddField, new { entity = "project", input = Field("budget", "INTEGER") }))["metadataVersion"]!.GetValue<long>();
        await ReceivedWithinAsync(cReceived, e => e.Kind == ChangeKinds.Metadata && e.TenantId == admin.TenantId && e.Version == added);
        await ReceivedWithinAsync(bReceived, e => e.Kind == ChangeKinds.Metadata && e.TenantId == admin.TenantId && e.Version == added);
        await onC.MutateAsync("mutation { createProject(input: { title: \"on c\", budget: 5 }) { project { budget } userErrors { code } } }");
        var all = await onB.QueryAsync("{ projects(orderBy: [{ title: ASC }]) { nodes { title budget } } }");
        Assert.Equal("""[{"title":"on b","budget":null},{"title":"on c","budget":5}]""", all["projects"]!["nodes"]!.ToJsonString());
    }

    [PostgresFact]
    public async Task A_key_revoked_through_one_host_is_refused_by_the_others_within_a_second()
    {
        var (a, _) = await HostAsync();
        var (b, _) = await HostAsync();
        using var admin = await a.NewTenantAsync();
        var key = await a.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "temporary", ["admin"], null, null, CancellationToken.None);
        using var onB = b.Client(admin.TenantId, key.Key);
        Assert.Equal(HttpStatusCode.OK, (await onB.PostAsync("{ metadataVersion }")).Status);

        await admin.MutateAsync("mutation($id: String!) { revokeApiKey(id: $id) { userErrors { code } } }", new { id = key.Id });

        var clock = Stopwatch.StartNew();
        while ((await onB.PostAsync("{ metadataVersion }")).Status == HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < Within, "Host B still accepts a key revoked through host A.");
            await Task.Delay(20);
        }
    }

    [PostgresFact]
    public async Task A_tenant_deleted_through_one_host_is_gone_from_the_others()
    {
        var (a, _) = await HostAsync();
        var (b, bReceived) = await HostAsync();
        using var admin = await a.NewTenantAsync();
        using var onB = b.Client(admin.TenantId, admin.Key);
        Assert.Equal(HttpStatusCode.OK, (await onB.PostAsync("{ metadataVersion }")).Status);

        await a.Service<TenantCatalog>().DeleteTenantAsync(admin.TenantId, CancellationToken.None);

        await ReceivedWithinAsync(bReceived, e => e.Kind == ChangeKinds.TenantRemoved && e.TenantId == admin.TenantId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.PostAsync("{ metadataVersion }")).Status);
        Assert.DoesNotContain(admin.TenantId, b.Service<TenantRegistry>().OpenTenants);
    }

    /// <summary>A host on the shared database that records the change events other hosts send it, once it listens.</summary>
    private async Task<(CrmHost Host, ConcurrentQueue<ChangeEvent> Received)> HostAsync()
    {
        var received = new ConcurrentQueue<ChangeEvent>();
        var host = new CrmHost(_store) { ConfigureTestServices = s => s.AddSingleton<IChangeHandler>(new Recorder(received)) };
        _hosts.Add((host, received));
        await host.Service<PostgresChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        return (host, received);
    }

    /// <summary>Waits for an event matching <paramref name="match"/>, for at most a second.</summary>
    private static async Task ReceivedWithinAsync(ConcurrentQueue<ChangeEvent> received, Func<ChangeEvent, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (!received.Any(match))
        {
            Assert.True(clock.Elapsed < Within, $"No matching change event after {clock.Elapsed}; received: {string.Join(", ", received)}");
            await Task.Delay(10);
        }
    }

    private sealed class Recorder(ConcurrentQueue<ChangeEvent> received) : IChangeHandler
    {
        public Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
        {
            received.Enqueue(change);
            return Task.CompletedTask;
        }
    }
}
