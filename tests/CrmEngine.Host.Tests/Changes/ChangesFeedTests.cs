using System.Globalization;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Changes.ChangesFeed;

namespace CrmEngine.Host.Tests.Changes;

/// <summary>
/// The changes feed over HTTP: a first sync lists the records, then creates, updates, deletions
/// (tombstones) and restores follow in commit order from a resumable cursor, within the caller's
/// row and field rights; foreign, altered and expired cursors are refused with their codes.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ChangesFeedTests(HostFixture fixture)
{
    [Fact]
    public async Task A_first_sync_lists_every_record_then_creates_updates_and_deletions_follow_in_commit_order()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var admin = office.Admin;
        var replica = await new Replica(admin).PullAsync();
        Assert.Equal(["Acme East Alice", "Acme East Bob", "Acme West Carol"], replica.Names);
        var synced = replica.Received.Count;

        var north = await CreateAsync(admin, "Acme North");
        await UpdateAsync(admin, office.Accounts["alice"], new { name = "Acme East Alice II" });
        await DeleteAsync(admin, office.Accounts["bob"]);
        var northUpdated = At((await UpdateAsync(admin, north, new { name = "Acme North II" }))["account"]!["updatedAt"]!);

        // An item is the record as it is now: north's create alone (the update still settling on
        // PostgreSQL) already reads "Acme North II". Its update's own item is the one to wait for.
        await replica.PullUntilAsync(r => r.ReceivedFor(north).Any(i => At(i["at"]!) >= northUpdated.AddTicks(-10)));
        Assert.Equal(["Acme East Alice II", "Acme North II", "Acme West Carol"], replica.Names);
        // Each record once, as it is now, at its last change: alice's update, bob's deletion, north's update.
        var changes = replica.Received.Skip(synced).ToList();
        var order = Describe(changes);
        Assert.True(
            order.LastIndexOf("UPSERT Acme East Alice II") < order.LastIndexOf($"DELETE {office.Accounts["bob"]}")
            && order.LastIndexOf($"DELETE {office.Accounts["bob"]}") < order.LastIndexOf("UPSERT Acme North II"),
            string.Join(", ", order));
        var tombstone = replica.ReceivedFor(office.Accounts["bob"]).Last();
        Assert.Null(tombstone["account"]);
        Assert.True(At(tombstone["at"]!) > DateTime.UtcNow.AddMinutes(-5));
    }

    private static DateTime At(JsonNode at) => DateTime.Parse(at.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    [Fact]
    public async Task Paging_resumes_exactly_after_the_last_page_and_an_idle_read_keeps_the_place()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var admin = office.Admin;
        var (_, cursor) = await AllAsync(admin, since: null);
        var names = Enumerable.Range(1, 5).Select(i => $"Batch {i}").ToList();
        foreach (var name in names)
        {
            await CreateAsync(admin, name);
        }

        await SettledAsync(admin, cursor, items => Describe(items).Contains("UPSERT Batch 5"));
        var seen = new List<string>();
        var pages = 0;
        for (var more = true; more; pages++)
        {
            var page = await PageAsync(admin, cursor, first: 2);
            seen.AddRange(Describe(page["items"]!.AsArray().Select(i => i!)));
            cursor = page["cursor"]!.GetValue<string>();
            more = page["hasMore"]!.GetValue<bool>();
        }

        Assert.Equal(names.Select(n => "UPSERT " + n), seen.Where(s => s.StartsWith("UPSERT Batch", StringComparison.Ordinal)));
        Assert.True(pages >= 3);

        var idle = await PageAsync(admin, cursor);
        Assert.Empty(idle["items"]!.AsArray());
        Assert.False(idle["hasMore"]!.GetValue<bool>());
        await CreateAsync(admin, "Later");
        var (later, _) = await SettledAsync(admin, idle["cursor"]!.GetValue<string>(), items => items.Count > 0);
        Assert.Equal(["UPSERT Later"], Describe(later));
    }

    [Fact]
    public async Task A_record_restored_after_its_deletion_comes_back_as_an_upsert()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var admin = office.Admin;
        var replica = await new Replica(admin).PullAsync();
        var carol = office.Accounts["carol"];
        await DeleteAsync(admin, carol);
        await replica.PullUntilAsync(r => !r.Records.ContainsKey(carol));
        Assert.Equal("DELETE", replica.ReceivedFor(carol).Last()["kind"]!.GetValue<string>());

        await admin.MutateAsync("mutation($id: ID!) { restoreAccount(id: $id) { account { id } userErrors { code message } } }", new { id = carol });
        await replica.PullUntilAsync(r => r.Records.ContainsKey(carol));
        Assert.Equal(["Acme East Alice", "Acme East Bob", "Acme West Carol"], replica.Names);
    }

    [Fact]
    public async Task Callers_see_only_the_records_they_may_read_and_never_a_hidden_field()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var alice = await new Replica(office.As["alice"]).PullAsync();
        var bob = await new Replica(office.As["bob"]).PullAsync();
        Assert.Equal(["Acme East Alice"], alice.Names);
        Assert.Equal(["Acme East Alice", "Acme East Bob"], bob.Names);
        // bob's role hides margin; alice's doesn't.
        Assert.All(bob.Records.Values, r => Assert.Null(r["margin"]));
        Assert.Equal(10m, alice.Records.Values.Single()["margin"]!.GetValue<decimal>());
        var (aliceSynced, bobSynced) = (alice.Received.Count, bob.Received.Count);

        // Changes to carol's account and its deletion never reach them, not even as tombstones.
        await UpdateAsync(office.Admin, office.Accounts["carol"], new { margin = 31m });
        await DeleteAsync(office.Admin, office.Accounts["carol"]);
        await UpdateAsync(office.Admin, office.Accounts["bob"], new { name = "Acme East Bob II", margin = 21m });

        // Once bob has his last change, everything before it has been handed out too.
        await bob.PullUntilAsync(r => r.Names.Contains("Acme East Bob II"));
        await alice.PullAsync();
        Assert.DoesNotContain(alice.Received.Skip(aliceSynced).Concat(bob.Received.Skip(bobSynced)), i => i["id"]!.GetValue<string>() == office.Accounts["carol"]);
        // (On PostgreSQL, changes still settling when the first sync began are handed out again after it: alice's own account only.)
        Assert.All(alice.Received.Skip(aliceSynced), i => Assert.Equal(office.Accounts["alice"], i["id"]!.GetValue<string>()));
        Assert.All(bob.Records.Values, r => Assert.Null(r["margin"]));
    }

    [Fact]
    public async Task A_record_reassigned_out_of_the_callers_reach_is_a_left_scope_tombstone_and_arrives_for_its_new_owner()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var alice = await new Replica(office.As["alice"]).PullAsync();
        var carol = await new Replica(office.As["carol"]).PullAsync();
        var account = office.Accounts["alice"];

        await UpdateAsync(office.Admin, account, new { ownerId = office.UserIds["carol"] });

        await alice.PullUntilAsync(r => r.Records.Count == 0);
        var left = alice.ReceivedFor(account).Last();
        Assert.Equal("LEFT_SCOPE", left["kind"]!.GetValue<string>());
        Assert.Null(left["account"]);
        await carol.PullUntilAsync(r => r.Records.ContainsKey(account));
        Assert.Equal(["Acme East Alice", "Acme West Carol"], carol.Names);
    }

    [Fact]
    public async Task A_cursor_of_another_entity_or_tenant_or_altered_is_refused_as_invalid()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var cursor = (await PageAsync(office.Admin, since: null))["cursor"]!.GetValue<string>();
        using var other = await Office.OpenAsync(fixture.Host);

        var altered = cursor[..^2] + (cursor[^2] == 'A' ? "B" : "A") + cursor[^1];
        var contacts = await office.Admin.PostAsync("query($since: String) { contactChanges(since: $since) { cursor } }", new { since = cursor });
        var otherTenant = await other.Admin.PostAsync(Query, new { since = cursor });
        var tampered = await office.Admin.PostAsync(Query, new { since = altered });
        var garbage = await office.Admin.PostAsync(Query, new { since = "not a cursor" });

        foreach (var refused in new[] { contacts, otherTenant, tampered, garbage })
        {
            Assert.Equal("INVALID_CURSOR", refused.FirstErrorCode);
            Assert.Null(refused.Data?.AsObject().Single().Value);
        }
    }

    [Fact]
    public async Task A_cursor_issued_before_the_callers_access_changed_is_refused_as_expired()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var (_, cursor) = await AllAsync(office.As["bob"], since: null);
        await AllAsync(office.As["bob"], cursor);

        // carol joins bob's team: her records come into his reach without any change to them.
        var east = (await office.Admin.QueryAsync("{ teams { id name } }"))["teams"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "East")!["id"]!.GetValue<string>();
        await office.Admin.MutateAsync("mutation($id: ID, $manager: ID, $members: [ID!]) { saveTeam(id: $id, name: \"East\", managerId: $manager, memberIds: $members) { team { id } userErrors { code message } } }",
            new { id = east, manager = office.UserIds["mike"], members = new[] { office.UserIds["alice"], office.UserIds["bob"], office.UserIds["carol"] } });

        Assert.Equal("CURSOR_EXPIRED", (await office.As["bob"].PostAsync(Query, new { since = cursor })).FirstErrorCode);
        var resynced = await new Replica(office.As["bob"]).PullAsync();
        Assert.Equal(["Acme East Alice", "Acme East Bob", "Acme West Carol"], resynced.Names);
    }

    [Fact]
    public async Task A_page_larger_than_the_limit_or_negative_is_refused()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        Assert.Equal("PAGE_SIZE_EXCEEDED", (await office.Admin.PostAsync(Query, new { first = 100_000 })).FirstErrorCode);
        Assert.Equal("INVALID_INPUT", (await office.Admin.PostAsync(Query, new { first = -1 })).FirstErrorCode);
    }
}
