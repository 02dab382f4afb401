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

    [PostgresFact]
    public async Task A_notification_committed_on_one_host_reaches_its_user_on_another_and_a_revoked_key_is_cut_off_on_every_host()
    {
        var a = await HostAsync();
        var b = await HostAsync();
        using var admin = await a.NewTenantAsync();
        await admin.MutateAsync(CreateEntity, new { input = new { name = "note", labels = Labels("Note", "笔记"), fields = new[] { Field("title", "TEXT") } } });
        await Rules.RuleQueries.SaveAsync(admin, new { name = "noted", entity = "note", triggers = new[] { "BEFORE_CREATE" }, script = "crm.notify(user.id, 'noted ' + record.title);" });
        var issued = await admin.MutateAsync("mutation { createApiKey(name: \"screen\", roles: [\"admin\"]) { key apiKey { id } userErrors { code } } }");
        using var screen = b.Client(admin.TenantId, issued["key"]!.GetValue<string>());
        await screen.QueryAsync("{ notes { totalCount } }");

        await using var onB = await TransportWsClient.InitializedAsync(b, screen);
        await onB.SubscribeAsync("n", "subscription { notificationReceived { message } }");
        while (b.Service<CrmEngine.Rules.Api.NotificationHub>().Count(admin.TenantId) < 1)
        {
            await Task.Delay(20);
        }

        // The key acts as a user of its own: the admin's notification is not the screen's.
        await admin.MutateAsync("mutation { createNote(input: { title: \"by admin\" }) { note { id } userErrors { code message } } }");
        using var screenOnA = a.Client(admin.TenantId, issued["key"]!.GetValue<string>());
        await screenOnA.MutateAsync("mutation { createNote(input: { title: \"by the screen\" }) { note { id } userErrors { code message } } }");
        Assert.Equal("noted by the screen", (await onB.NextAsync("n"))["notificationReceived"]!["message"]!.GetValue<string>());

        await admin.MutateAsync("mutation($id: String!) { revokeApiKey(id: $id) { apiKey { id } userErrors { code } } }", new { id = issued["apiKey"]!["id"]!.GetValue<string>() });
        Assert.Equal(4403, await onB.ClosedAsync());
    }

    private async Task<CrmHost> HostAsync()
    {
        var host = _hosts.Start();
        await host.Service<PostgresChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        return host;
    }
}
