using System.Text.Json;
using CrmEngine.Engine.Records;
using CrmEngine.Host.Tests.Subscriptions;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Sharing.Portal;

namespace CrmEngine.Host.Tests.Sharing;

/// <summary>
/// An external user (partner, of alice's account) attacks another organization (rival's: carol's
/// account and alice's contact) and the tenant's internals by every path we know; each attack must
/// reveal nothing of them, answering as for records and ids that don't exist.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ExternalUserAttackTests(HostFixture fixture)
{
    [Fact]
    public async Task An_external_user_sees_their_organization_and_what_points_to_it_whatever_their_role_grants()
    {
        using var office = await OpenAsync(fixture.Host);
        var partner = office.As["partner"];

        // The portal role reads ALL, but an external user reaches at most their organization.
        Assert.Equal(["Acme East Alice"], await NamesAsync(partner, "accounts"));
        Assert.Equal(["Carol's contact"], await NamesAsync(partner, "contacts"));
        Assert.Equal(["Acme West Carol"], await NamesAsync(office.As["rival"], "accounts"));
        Assert.Equal(["Alice's contact"], await NamesAsync(office.As["rival"], "contacts"));

        // Field rights still apply: the portal role hides margins.
        var own = await partner.QueryAsync("query($id: ID!) { account(id: $id) { name margin } }", new { id = office.Accounts["alice"] });
        Assert.Null(own["account"]!["margin"]);
    }

    [Fact]
    public async Task Another_organizations_ids_are_not_found_by_get_node_nodes_or_audit_and_writes_answer_as_made_up_ids()
    {
        using var office = await OpenAsync(fixture.Host);
        var partner = office.As["partner"];
        var theirs = office.Accounts["carol"];
        var data = await partner.QueryAsync("query($id: ID!, $contact: ID!) { account(id: $id) { name } node(id: $id) { id } nodes(ids: [$id, $contact]) { id } auditTrail(id: $id) { operation } contact(id: $contact) { name } }",
            new { id = theirs, contact = office.Contacts["alice"] });
        Assert.Null(data["account"]);
        Assert.Null(data["node"]);
        Assert.All(data["nodes"]!.AsArray(), n => Assert.Null(n));
        Assert.Empty(data["auditTrail"]!.AsArray());
        Assert.Null(data["contact"]);

        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(partner, "mutation($id: ID!) { updateAccount(id: $id, input: { name: \"mine\" }) { account { id } userErrors { code message field } } }", theirs);
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(partner, "mutation($id: ID!) { deleteAccount(id: $id) { deletedId userErrors { code message field } } }", theirs);
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(partner, "mutation($id: ID!) { updateContact(id: $id, input: { name: \"mine\" }) { contact { id } userErrors { code message field } } }", office.Contacts["alice"]);
        // Nor may they point a record of theirs at the other organization.
        var pointed = await partner.QueryAsync("mutation($id: ID!, $account: ID!) { updateContact(id: $id, input: { accountId: $account }) { userErrors { code } } }",
            new { id = office.Contacts["carol"], account = theirs });
        Assert.Equal("LOOKUP_NOT_FOUND", UserError(pointed["updateContact"]!)!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Aggregates_group_counts_and_search_hold_nothing_of_another_organization()
    {
        using var office = await OpenAsync(fixture.Host);
        var partner = office.As["partner"];
        var data = await partner.QueryAsync("{ accountsAggregate { count } byIndustry: accountsAggregate(groupBy: [{ field: industry }]) { groups { count } } contactsAggregate { count } }");
        Assert.Equal(1, data["accountsAggregate"]!["count"]!.GetValue<int>());
        Assert.Equal(1, data["byIndustry"]!["groups"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(1, data["contactsAggregate"]!["count"]!.GetValue<int>());

        var search = await partner.QueryAsync("{ acme: search(text: \"Acme\") { record { ... on Account { name } } } secret: search(text: \"secretwordcarol\") { score } contact: search(text: \"Alice's\") { score } }");
        Assert.Equal("Acme East Alice", Assert.Single(search["acme"]!.AsArray())!["record"]!["name"]!.GetValue<string>());
        Assert.Empty(search["secret"]!.AsArray());
        Assert.Empty(search["contact"]!.AsArray());
    }

    [Fact]
    public async Task Cursors_from_another_user_or_crafted_reveal_nothing_beyond_the_callers_own_reach()
    {
        using var office = await OpenAsync(fixture.Host);
        const string page = "query($after: String) { accounts(first: 1, after: $after, orderBy: [{ name: DESC }]) { nodes { name } pageInfo { endCursor } } }";
        // Dave reads everything: his cursor after carol's account would lead on to alice's and bob's.
        var daves = await office.As["dave"].QueryAsync(page);
        var cursor = daves["accounts"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var reused = await office.As["partner"].QueryAsync(page, new { after = cursor });
        Assert.All(reused["accounts"]!["nodes"]!.AsArray(), n => Assert.Equal("Acme East Alice", n!["name"]!.GetValue<string>()));

        var crafted = await office.As["partner"].PostAsync(page, new { after = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[] { "Acme West Carol" })) });
        Assert.Equal("INVALID_CURSOR", crafted.FirstErrorCode);
        var feed = await office.As["partner"].PostAsync("query($since: String) { accountChanges(since: $since) { items { id } } }", new { since = cursor });
        Assert.Equal("INVALID_CURSOR", feed.FirstErrorCode);
    }

    [Fact]
    public async Task A_record_shared_with_an_external_user_opens_no_lookup_or_filter_into_another_organization()
    {
        using var office = await OpenAsync(fixture.Host);
        var partner = office.As["partner"];
        // Alice's contact belongs to the rival organization (it points at carol's account); an admin shares it with partner.
        await ShareAsync(office.Admin, office.Contacts["alice"], office.UserIds["partner"]);

        var shared = await partner.QueryAsync("query($id: ID!) { contact(id: $id) { name account { name margin } } contacts { totalCount nodes { name account { name } } } }", new { id = office.Contacts["alice"] });
        Assert.Equal("Alice's contact", shared["contact"]!["name"]!.GetValue<string>());
        Assert.Null(shared["contact"]!["account"]);
        Assert.Equal(2, shared["contacts"]!["totalCount"]!.GetValue<int>());
        Assert.DoesNotContain("Acme West Carol", shared.ToJsonString(), StringComparison.Ordinal);

        // Filters through the lookup can't test the other organization's account, nor can inverse lists reach it.
        Assert.Empty(await NamesAsync(partner, "contacts", "{ account: { name: { eq: \"Acme West Carol\" } } }"));
        Assert.Empty(await NamesAsync(partner, "accounts", "{ name: { startsWith: \"Acme West\" } }"));
        Assert.Equal(["Acme East Alice"], await NamesAsync(partner, "accounts", "{ contacts: { some: { name: { contains: \"contact\" } } } }"));
        var expanded = await partner.QueryAsync("{ contactsAggregate(groupBy: [{ field: account }]) { groups { count } } }");
        Assert.Equal(2, expanded["contactsAggregate"]!["groups"]!.AsArray().Sum(g => g!["count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Exports_and_the_changes_feed_hold_only_the_organizations_records()
    {
        using var office = await OpenAsync(fixture.Host);
        var partner = office.As["partner"];
        using var export = await partner.Http.PostAsync("/export?format=csv", RawBody.Json(JsonSerializer.Serialize(new { query = "{ accounts { nodes { name notes } } }" })));
        var csv = await export.Content.ReadAsStringAsync();
        Assert.True(export.IsSuccessStatusCode, csv);
        Assert.Contains("Acme East Alice", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Carol", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob", csv, StringComparison.Ordinal);

        var before = await partner.QueryAsync("{ accountChanges { items { id } cursor } }");
        var since = before["accountChanges"]!["cursor"]!.GetValue<string>();
        await office.Admin.MutateAsync("mutation($id: ID!) { updateAccount(id: $id, input: { notes: \"renewal\" }) { userErrors { code message } } }", new { id = office.Accounts["carol"] });
        await office.Admin.MutateAsync("mutation($id: ID!) { updateAccount(id: $id, input: { notes: \"renewal\" }) { userErrors { code message } } }", new { id = office.Accounts["alice"] });
        // On PostgreSQL the feed shows a commit once no older transaction can still land before it: ask until both updates are past that point.
        var after = await partner.EventuallyAsync("query($since: String) { accountChanges(since: $since) { items { id } } }", d => d["accountChanges"]!["items"]!.AsArray().Count > 0, new { since });
        Assert.Equal(office.Accounts["alice"], Assert.Single(after["accountChanges"]!["items"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscriptions_deliver_the_organizations_changes_and_shared_records_but_nothing_of_another_organization()
    {
        using var office = await OpenAsync(fixture.Host);
        await TransportWsClient.SettledAsync(fixture.Host, office.Admin.TenantId);
        await ShareAsync(office.Admin, office.Contacts["alice"], office.UserIds["partner"]);
        await using var partner = await TransportWsClient.InitializedAsync(fixture.Host, office.As["partner"]);
        await partner.SubscribeAsync("a", "subscription { accountChanged { id account { name margin } } }");
        await partner.SubscribeAsync("c", "subscription { contactChanged { id contact { name account { name } } } }");
        await TransportWsClient.WaitForSubscribersAsync(fixture.Host, office.Admin.TenantId, 2);

        // The rival's account changes first: the first account event partner gets is its own organization's.
        await CrmEngine.Host.Tests.Changes.ChangesFeed.UpdateAsync(office.Admin, office.Accounts["carol"], new { name = "Acme West Carol II" });
        await CrmEngine.Host.Tests.Changes.ChangesFeed.UpdateAsync(office.Admin, office.Accounts["alice"], new { name = "Acme East Alice II" });
        var account = (await partner.NextAsync("a"))["accountChanged"]!;
        Assert.Equal(office.Accounts["alice"], account["id"]!.GetValue<string>());
        Assert.Null(account["account"]!["margin"]);

        // The contact shared with partner arrives, its lookup into the rival organization empty.
        await office.Admin.MutateAsync("mutation($id: ID!) { updateContact(id: $id, input: { name: \"Shared contact\" }) { contact { id } userErrors { code message } } }", new { id = office.Contacts["alice"] });
        var contact = (await partner.NextAsync("c"))["contactChanged"]!;
        Assert.Equal("Shared contact", contact["contact"]!["name"]!.GetValue<string>());
        Assert.Null(contact["contact"]!["account"]);
    }

    [Fact]
    public async Task Admin_only_fields_refuse_an_external_user_even_with_a_key_granting_admin()
    {
        using var office = await OpenAsync(fixture.Host);
        await AddExternalAsync(fixture.Host, office, "climber", office.Accounts["alice"], "admin");
        foreach (var name in new[] { "partner", "climber" })
        {
            var client = office.As[name];
            var me = await client.QueryAsync("{ me { isAdmin } }");
            Assert.False(me["me"]!["isAdmin"]!.GetValue<bool>());
            foreach (var field in new[] { "users { email }", "teams { name }", "roles { name }", "apiKeys { name }", "securityLog { detail }", "webhooks { id }" })
            {
                var refused = await client.PostAsync($"{{ {field} }}");
                Assert.Equal("FORBIDDEN", refused.FirstErrorCode);
                Assert.DoesNotContain("office.example", refused.Raw, StringComparison.Ordinal);
            }

            Assert.Equal(["Acme East Alice"], await NamesAsync(client, "accounts"));
            var entity = await client.QueryAsync(Schemas.CreateEntity, new { input = new { name = "spy", labels = Schemas.Labels("Spy", "间谍"), fields = new[] { Schemas.Field("name", "TEXT") } } });
            Assert.Equal("FORBIDDEN", UserError(entity["createEntity"]!)!["code"]!.GetValue<string>());
            var share = await client.QueryAsync(Share, new { id = office.Accounts["alice"], user = office.UserIds[name] });
            Assert.Equal("FORBIDDEN", UserError(share["shareRecord"]!)!["code"]!.GetValue<string>());
            var external = await client.QueryAsync("mutation($org: ID!) { createExternalUser(email: \"x@y.example\", displayName: \"x\", organizationId: $org) { userErrors { code } } }", new { org = office.Accounts["carol"] });
            Assert.Equal("FORBIDDEN", UserError(external["createExternalUser"]!)!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_organization_must_be_a_live_record_and_only_lookups_can_name_organizations()
    {
        using var office = await OpenAsync(fixture.Host);
        var made = await office.Admin.QueryAsync("mutation($org: ID!) { createExternalUser(email: \"ghost@customer.example\", displayName: \"ghost\", organizationId: $org) { userId userErrors { code field } } }",
            new { org = GlobalId.Encode("account", Guid.CreateVersion7()) });
        Assert.Equal("NOT_FOUND", UserError(made["createExternalUser"]!)!["code"]!.GetValue<string>());
        var users = await office.Admin.QueryAsync("{ users { email } }");
        Assert.DoesNotContain("ghost@customer.example", users.ToJsonString(), StringComparison.Ordinal);

        var notLookup = await office.Admin.QueryAsync("mutation { setOrganizationLookups(entity: \"contact\", fields: [\"name\"]) { userErrors { code } } }");
        Assert.Equal("UNKNOWN_FIELD", UserError(notLookup["setOrganizationLookups"]!)!["code"]!.GetValue<string>());
    }
}
