using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Changes.ChangesFeed;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>
/// GraphQL subscriptions over a real WebSocket (graphql-transport-ws): record changes arrive as they
/// commit, each filtered by the subscriber's row and field rights as they are at delivery time.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class SubscriptionTests(HostFixture fixture)
{
    private const string AccountChanged = "subscription { accountChanged { kind id account { name margin } } }";

    [Fact]
    public async Task A_subscriber_receives_the_changes_it_may_read_as_they_commit_and_a_tombstone_for_a_deletion()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        await SettledAsync(office);
        await using var alice = await TransportWsClient.InitializedAsync(fixture.Host, office.As["alice"]);
        await alice.SubscribeAsync("1", AccountChanged);
        await WaitForSubscribersAsync(office.Admin.TenantId, 1);

        // Carol's account is outside alice's scope: its change never reaches her; her own does.
        await UpdateAsync(office.Admin, office.Accounts["carol"], new { name = "Acme West Carol II" });
        await UpdateAsync(office.Admin, office.Accounts["alice"], new { name = "Acme East Alice II" });
        var next = (await alice.NextAsync("1"))["accountChanged"]!;
        Assert.Equal("UPSERT", next["kind"]!.GetValue<string>());
        Assert.Equal("Acme East Alice II", next["account"]!["name"]!.GetValue<string>());
        Assert.Equal(10m, next["account"]!["margin"]!.GetValue<decimal>());

        await DeleteAsync(office.Admin, office.Accounts["alice"]);
        var deleted = (await alice.NextAsync("1"))["accountChanged"]!;
        Assert.Equal("DELETE", deleted["kind"]!.GetValue<string>());
        Assert.Equal(office.Accounts["alice"], deleted["id"]!.GetValue<string>());
        Assert.Null(deleted["account"]);
    }

    [Fact]
    public async Task Hidden_fields_stay_null_and_rights_are_those_at_delivery_time()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        await SettledAsync(office);
        await using var bob = await TransportWsClient.InitializedAsync(fixture.Host, office.As["bob"]);
        await bob.SubscribeAsync("b", AccountChanged);
        await WaitForSubscribersAsync(office.Admin.TenantId, 1);

        await UpdateAsync(office.Admin, office.Accounts["bob"], new { margin = 21m });
        var own = (await bob.NextAsync("b"))["accountChanged"]!;
        Assert.Equal("Acme East Bob", own["account"]!["name"]!.GetValue<string>());
        Assert.Null(own["account"]!["margin"]);

        // Carol joins bob's team after he subscribed: her account's next change reaches him.
        var east = (await office.Admin.QueryAsync("{ teams { id name } }"))["teams"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "East")!["id"]!.GetValue<string>();
        await office.Admin.MutateAsync("mutation($id: ID, $m: ID, $members: [ID!]) { saveTeam(id: $id, name: \"East\", managerId: $m, memberIds: $members) { team { id } userErrors { code message } } }",
            new { id = east, m = office.UserIds["mike"], members = new[] { office.UserIds["alice"], office.UserIds["bob"], office.UserIds["carol"] } });
        await UpdateAsync(office.Admin, office.Accounts["carol"], new { name = "Acme West Carol II" });
        Assert.Equal("Acme West Carol II", (await bob.NextAsync("b"))["accountChanged"]!["account"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_and_complete_ends_a_subscription()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        await SettledAsync(office);
        await using var admin = await TransportWsClient.InitializedAsync(fixture.Host, office.Admin);
        await admin.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await admin.ReceiveAsync())!["type"]!.GetValue<string>());

        await admin.SubscribeAsync("x", AccountChanged);
        await admin.SubscribeAsync("y", "subscription { contactChanged { kind id } }");
        await WaitForSubscribersAsync(office.Admin.TenantId, 2);
        await admin.SendAsync(new { id = "x", type = "complete" });
        await WaitForSubscribersAsync(office.Admin.TenantId, 1, exactly: true);
        await UpdateAsync(office.Admin, office.Accounts["bob"], new { name = "Acme East Bob II" });
        await office.Admin.MutateAsync("mutation($id: ID!) { updateContact(id: $id, input: { name: \"Renamed\" }) { contact { id } userErrors { code message } } }", new { id = office.Contacts["alice"] });
        // The account change went to the completed subscription: the first message is the contact's.
        Assert.Equal(office.Contacts["alice"], (await admin.NextAsync("y"))["contactChanged"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_subscription_with_an_error_answers_an_error_message_and_the_connection_stays()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        await SettledAsync(office);
        await using var admin = await TransportWsClient.InitializedAsync(fixture.Host, office.Admin);
        await admin.SubscribeAsync("bad", "subscription { noSuchThing { id } }");
        var error = (await admin.ReceiveAsync())!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("bad", error["id"]!.GetValue<string>());
        Assert.NotEmpty(error["payload"]!.AsArray());

        await admin.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await admin.ReceiveAsync())!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("subscribe-before-init", 4401)]
    [InlineData("bad-key", 4403)]
    [InlineData("second-init", 4429)]
    [InlineData("duplicate-id", 4409)]
    [InlineData("not-json", 4400)]
    public async Task Protocol_breaches_close_the_connection_with_the_protocols_code(string breach, int code)
    {
        using var office = await Office.OpenAsync(fixture.Host);
        await SettledAsync(office);
        await using var client = breach is "second-init" or "duplicate-id"
            ? await TransportWsClient.InitializedAsync(fixture.Host, office.Admin)
            : await TransportWsClient.ConnectAsync(fixture.Host);
        switch (breach)
        {
            case "subscribe-before-init":
                await client.SubscribeAsync("1", AccountChanged);
                break;
            case "bad-key":
                await client.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer crm_not_a_key" } });
                break;
            case "second-init":
                await client.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + office.Admin.Key } });
                break;
            case "duplicate-id":
                await client.SubscribeAsync("1", AccountChanged);
                await client.SubscribeAsync("1", AccountChanged);
                break;
            case "not-json":
                await client.SendTextAsync("{ nope");
                break;
        }

        Assert.Equal(code, await client.ClosedAsync());
    }

    private Task SettledAsync(Office office) => TransportWsClient.SettledAsync(fixture.Host, office.Admin.TenantId);

    private Task WaitForSubscribersAsync(string tenantId, int atLeast, bool exactly = false) => TransportWsClient.WaitForSubscribersAsync(fixture.Host, tenantId, atLeast, exactly);
}
