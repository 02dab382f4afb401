using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Sharing.Portal;

namespace CrmEngine.Host.Tests.Sharing;

/// <summary>
/// Sharing a record with a user or a team: the record joins the reach of the one it's shared with on
/// every read path (lists and counts, aggregates, search, node, lookups, the changes feed), through
/// the lookups marked as inheriting, and leaves it when the share is taken back.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class RecordSharingTests(HostFixture fixture)
{
    [Fact]
    public async Task A_record_shared_with_a_user_joins_their_lists_counts_aggregates_search_and_node_until_unshared()
    {
        using var office = await OpenAsync(fixture.Host);
        var erin = office.As["erin"];
        var carols = office.Accounts["carol"];
        Assert.Empty(await NamesAsync(erin, "accounts"));

        var share = await ShareAsync(office.As["carol"], carols, office.UserIds["erin"]);

        Assert.Equal(["Acme West Carol"], await NamesAsync(erin, "accounts"));
        var seen = await erin.QueryAsync("query($id: ID!) { account(id: $id) { name } node(id: $id) { id } accountsAggregate { count sum { margin } } search(text: \"Acme\") { record { ... on Account { name } } } }", new { id = carols });
        Assert.Equal("Acme West Carol", seen["account"]!["name"]!.GetValue<string>());
        Assert.Equal(carols, seen["node"]!["id"]!.GetValue<string>());
        Assert.Equal(1, seen["accountsAggregate"]!["count"]!.GetValue<int>());
        Assert.Equal(30m, seen["accountsAggregate"]!["sum"]!["margin"]!.GetValue<decimal>());
        Assert.Single(seen["search"]!.AsArray());
        var changes = await erin.QueryAsync("{ accountChanges { items { id } } }");
        Assert.Equal(carols, changes["accountChanges"]!["items"]![0]!["id"]!.GetValue<string>());

        await office.As["carol"].MutateAsync("mutation($id: ID!) { unshareRecord(shareId: $id) { share { id } userErrors { code message } } }", new { id = share });

        Assert.Empty(await NamesAsync(erin, "accounts"));
        var gone = await erin.QueryAsync("query($id: ID!) { account(id: $id) { name } accountsAggregate { count } }", new { id = carols });
        Assert.Null(gone["account"]);
        Assert.Equal(0, gone["accountsAggregate"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_share_reaches_the_records_pointing_to_it_only_through_lookups_marked_as_inheriting()
    {
        using var plain = await OpenAsync(fixture.Host);
        await ShareAsync(plain.As["carol"], plain.Accounts["carol"], plain.UserIds["erin"]);
        Assert.Empty(await NamesAsync(plain.As["erin"], "contacts"));

        using var office = await OpenAsync(fixture.Host, inheritThroughAccount: true);
        var erin = office.As["erin"];
        await ShareAsync(office.As["carol"], office.Accounts["carol"], office.UserIds["erin"]);

        // Alice's contact points at carol's account: it comes with the share; carol's own contact doesn't.
        Assert.Equal(["Alice's contact"], await NamesAsync(erin, "contacts"));
        var through = await erin.QueryAsync("query($id: ID!) { contact(id: $id) { name account { name contacts { totalCount } } } contactsAggregate { count } }", new { id = office.Contacts["alice"] });
        Assert.Equal("Acme West Carol", through["contact"]!["account"]!["name"]!.GetValue<string>());
        Assert.Equal(1, through["contact"]!["account"]!["contacts"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(1, through["contactsAggregate"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_share_with_a_team_reaches_its_members()
    {
        using var office = await OpenAsync(fixture.Host);
        var team = await office.Admin.MutateAsync("mutation { saveTeam(name: \"North\") { team { id } userErrors { code message } } }");
        var teamId = team["team"]!["id"]!.GetValue<string>();
        await office.Admin.MutateAsync("mutation($id: ID!, $m: [ID!]) { saveTeam(id: $id, name: \"North\", memberIds: $m) { team { id } userErrors { code message } } }", new { id = teamId, m = new[] { office.UserIds["erin"] } });

        await office.As["carol"].MutateAsync(Share, new { id = office.Accounts["carol"], team = teamId, access = "READ" });

        Assert.Equal(["Acme West Carol"], await NamesAsync(office.As["erin"], "accounts"));
        Assert.Equal(["Acme East Alice"], await NamesAsync(office.As["alice"], "accounts"));
    }

    [Fact]
    public async Task A_share_to_edit_lets_its_holder_update_but_not_delete_and_a_share_to_read_lets_them_only_read()
    {
        using var office = await OpenAsync(fixture.Host);
        var erin = office.As["erin"];
        var carols = office.Accounts["carol"];
        const string update = "mutation($id: ID!) { updateAccount(id: $id, input: { name: \"Acme West Erin\" }) { account { name } userErrors { code message } } }";

        await ShareAsync(office.As["carol"], carols, office.UserIds["erin"]);
        Assert.Equal("FORBIDDEN", UserError((await erin.QueryAsync(update, new { id = carols }))["updateAccount"]!)!["code"]!.GetValue<string>());

        await ShareAsync(office.As["carol"], carols, office.UserIds["erin"], edit: true);
        Assert.Equal("Acme West Erin", (await erin.MutateAsync(update, new { id = carols }))["account"]!["name"]!.GetValue<string>());
        var delete = await erin.QueryAsync("mutation($id: ID!) { deleteAccount(id: $id) { userErrors { code } } }", new { id = carols });
        Assert.Equal("FORBIDDEN", UserError(delete["deleteAccount"]!)!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_those_who_may_edit_a_record_share_it_and_a_record_out_of_reach_answers_as_a_made_up_id()
    {
        using var office = await OpenAsync(fixture.Host);
        var carols = office.Accounts["carol"];

        // Dave reads every account but edits only his own: he may not share carol's.
        var byReader = await office.As["dave"].QueryAsync(Share, new { id = carols, user = office.UserIds["erin"] });
        Assert.Equal("FORBIDDEN", UserError(byReader["shareRecord"]!)!["code"]!.GetValue<string>());

        // Alice can't see carol's account: sharing it is answered as for an id that never existed.
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(office.As["alice"],
            $"mutation($id: ID!) {{ shareRecord(id: $id, userId: \"{office.UserIds["alice"]}\") {{ share {{ id }} userErrors {{ code message field }} }} }}", carols);
        const string list = "query($id: ID!) { recordShares(id: $id) { id } }";
        var hidden = await office.As["alice"].PostAsync(list, new { id = carols });
        var madeUpId = CrmEngine.Engine.Records.GlobalId.Encode("account", Guid.CreateVersion7());
        var madeUp = await office.As["alice"].PostAsync(list, new { id = madeUpId });
        Assert.Equal("NOT_FOUND", hidden.FirstErrorCode);
        Assert.Equal(madeUp.FirstErrorCode, hidden.FirstErrorCode);
        Assert.Equal(madeUp.Status, hidden.Status);
        Assert.DoesNotContain("Carol", hidden.Raw, StringComparison.Ordinal);

        // An admin shares anything; the record's editor lists its shares.
        await ShareAsync(office.Admin, carols, office.UserIds["erin"]);
        var shares = await office.As["carol"].QueryAsync("query($id: ID!) { recordShares(id: $id) { userId access } }", new { id = carols });
        Assert.Equal(office.UserIds["erin"], shares["recordShares"]![0]!["userId"]!.GetValue<string>());
        var log = await office.Admin.QueryAsync("{ securityLog(event: \"record_shared\") { detail } }");
        Assert.NotEmpty(log["securityLog"]!.AsArray());
    }
}
