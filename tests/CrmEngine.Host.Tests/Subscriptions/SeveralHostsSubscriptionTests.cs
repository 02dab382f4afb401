using CrmEngine.GraphQL.Subscriptions;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Postgres;
using CrmEngine.Testing;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>
/// Two real hosts on one PostgreSQL database: a change written through either reaches the
/// subscribers of both, whichever host's after stage handled it (LISTEN/NOTIFY carries it over).
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsSubscriptionTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task A_change_written_through_one_host_reaches_subscribers_on_every_host()
    {
        var a = await HostAsync();
        var b = await HostAsync();
        using var admin = await a.NewTenantAsync();
        await admin.MutateAsync(CreateEntity, new { input = new { name = "note", labels = Labels("Note", "笔记"), fields = new[] { Field("title", "TEXT") } } });
        using var onB = b.Client(admin.TenantId, admin.Key);
        await onB.QueryAsync("{ notes { totalCount } }");

        await using var onA = await TransportWsClient.InitializedAsync(a, admin);
        await using var viaB = await TransportWsClient.InitializedAsync(b, onB);
        await onA.SubscribeAsync("a", "subscription { noteChanged { kind note { title } } }");
        await viaB.SubscribeAsync("b", "subscription { noteChanged { kind note { title } } }");
        foreach (var host in new[] { a, b })
        {
            while (host.Service<RecordChangeHub>().Count(admin.TenantId) < 1)
            {
                await Task.Delay(20);
            }
        }

        foreach (var (writer, title) in new[] { (admin, "written on A"), (onB, "written on B") })
        {
            await writer.MutateAsync("mutation($t: String) { createNote(input: { title: $t }) { note { id } userErrors { code message } } }", new { t = title });
            Assert.Equal(title, (await onA.NextAsync("a"))["noteChanged"]!["note"]!["title"]!.GetValue<string>());
            Assert.Equal(title, (await viaB.NextAsync("b"))["noteChanged"]!["note"]!["title"]!.GetValue<string>());
        }
    }

    private async Task<CrmHost> HostAsync()
    {
        var host = _hosts.Start();
        await host.Service<PostgresChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        return host;
    }
}
