using System.Text.Json.Nodes;
using CrmEngine.Engine.Records;
using CrmEngine.Host.Tests.Rules;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// Every user id the engine stores (a record's owner, a notification's recipient) names an identity
/// of the tenant: an active user, the identity of a working key, or the writer itself. Anything else
/// is refused with USER_NOT_FOUND, whoever chose it (the caller, a rule), and nothing is written.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class OwnerTests(HostFixture fixture)
{
    private const string Create = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id ownerId } userErrors { field code message } } }";
    private const string Reassign = "mutation($id: ID!, $owner: ID) { updateAccount(id: $id, input: { ownerId: $owner }) { account { ownerId } userErrors { field code message } } }";

    [Fact]
    public async Task A_new_record_can_be_given_only_to_an_active_user_of_the_tenant()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        foreach (var (name, owner) in await StrangersAsync(office))
        {
            var refused = (await office.Admin.QueryAsync(Create, new { input = new { name = "for " + name, ownerId = owner } }))["createAccount"]!;
            Assert.Null(refused["account"]);
            Assert.Equal(("ownerId", "USER_NOT_FOUND"), Error(refused));
        }

        var accepted = await office.Admin.MutateAsync(Create, new { input = new { name = "for dave", ownerId = office.UserIds["dave"] } });
        Assert.Equal(office.UserIds["dave"], accepted["account"]!["ownerId"]!.GetValue<string>());
        var written = await office.Admin.QueryAsync("{ accounts(filter: { name: { startsWith: \"for \" } }) { totalCount } }");
        Assert.Equal(1, written["accounts"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_record_can_be_reassigned_only_to_an_active_user_of_the_tenant()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var alices = office.Accounts["alice"];
        foreach (var (_, owner) in await StrangersAsync(office))
        {
            var refused = (await office.Admin.QueryAsync(Reassign, new { id = alices, owner }))["updateAccount"]!;
            Assert.Equal(("ownerId", "USER_NOT_FOUND"), Error(refused));
        }

        var account = await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { ownerId version } }", new { id = alices });
        Assert.Equal((office.UserIds["alice"], 1), (account["account"]!["ownerId"]!.GetValue<string>(), account["account"]!["version"]!.GetValue<int>()));

        // A team lead with the assign right over the team is held to it as well.
        var toDeactivated = await DeactivatedTeammateAsync(office);
        var byMike = (await office.As["mike"].QueryAsync(Reassign, new { id = alices, owner = toDeactivated }))["updateAccount"]!;
        Assert.Equal(("ownerId", "USER_NOT_FOUND"), Error(byMike));
        var toBob = (await office.As["mike"].QueryAsync(Reassign, new { id = alices, owner = office.UserIds["bob"] }))["updateAccount"]!;
        Assert.Equal(office.UserIds["bob"], toBob["account"]!["ownerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_integrations_key_may_own_records_while_it_works()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var key = await office.Admin.MutateAsync("mutation { createApiKey(name: \"shop\", roles: [\"user\"]) { apiKey { id userId } userErrors { code message } } }");
        var integration = key["apiKey"]!["userId"]!.GetValue<string>();

        var given = await office.Admin.MutateAsync(Create, new { input = new { name = "shop's", ownerId = integration } });
        Assert.Equal(integration, given["account"]!["ownerId"]!.GetValue<string>());

        await office.Admin.MutateAsync("mutation($id: String!) { revokeApiKey(id: $id) { apiKey { id } userErrors { code message } } }", new { id = key["apiKey"]!["id"]!.GetValue<string>() });
        var refused = (await office.Admin.QueryAsync(Create, new { input = new { name = "shop's too", ownerId = integration } }))["createAccount"]!;
        Assert.Equal(("ownerId", "USER_NOT_FOUND"), Error(refused));
    }

    [Fact]
    public async Task Rules_may_give_records_and_notifications_only_to_users_of_the_tenant()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var stranger = Guid.CreateVersion7().ToString();
        await RuleQueries.SaveAsync(office.Admin, new { name = "giveAway", entity = "account", triggers = new[] { "BEFORE_CREATE" }, script = $"if (record.name === 'give away') record.ownerId = '{stranger}';" });
        await RuleQueries.SaveAsync(office.Admin, new { name = "assignAway", entity = "account", triggers = new[] { "MANUAL" }, script = $"crm.assign('account', record.id, '{stranger}');" });
        await RuleQueries.SaveAsync(office.Admin, new { name = "tellStranger", entity = "account", triggers = new[] { "MANUAL" }, script = $"crm.notify('{stranger}', 'hello');" });
        await RuleQueries.SaveAsync(office.Admin, new { name = "tellOwner", entity = "account", triggers = new[] { "MANUAL" }, script = "crm.notify(record.ownerId, 'hello'); crm.create('account', { name: 'made by a rule' });" });

        var given = (await office.Admin.QueryAsync(Create, new { input = new { name = "give away" } }))["createAccount"]!;
        Assert.Equal(("ownerId", "USER_NOT_FOUND"), Error(given));

        foreach (var rule in new[] { "assignAway", "tellStranger" })
        {
            var run = await office.Admin.MutateAsync("mutation($name: String!, $ids: [ID!]!) { runRule(name: $name, ids: $ids) { results { outcome error { code } } userErrors { code } } }",
                new { name = rule, ids = new[] { office.Accounts["alice"] } });
            Assert.Equal("USER_NOT_FOUND", run["results"]![0]!["error"]!["code"]!.GetValue<string>());
        }

        // Real users, and whoever triggered the run (here the admin's key, no user of the directory), are fine.
        var fine = await office.Admin.MutateAsync("mutation($ids: [ID!]!) { runRule(name: \"tellOwner\", ids: $ids) { results { outcome error { code message } } userErrors { code } } }",
            new { ids = new[] { office.Accounts["alice"] } });
        Assert.Equal("SUCCEEDED", fine["results"]![0]!["outcome"]!.GetValue<string>());

        var account = await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { ownerId version } }", new { id = office.Accounts["alice"] });
        Assert.Equal((office.UserIds["alice"], 1), (account["account"]!["ownerId"]!.GetValue<string>(), account["account"]!["version"]!.GetValue<int>()));
        var written = await office.Admin.QueryAsync("{ accounts(filter: { name: { in: [\"give away\", \"made by a rule\"] } }) { nodes { name } } }");
        Assert.Equal(["made by a rule"], written["accounts"]!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_key_is_issued_only_for_an_active_user_as_it_acts_as_them()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        foreach (var (_, user) in await StrangersAsync(office))
        {
            var refused = (await office.Admin.QueryAsync("mutation($id: ID!) { createApiKey(name: \"as them\", roles: [], userId: $id) { key userErrors { field code } } }", new { id = user }))["createApiKey"]!;
            Assert.Null(refused["key"]);
            Assert.Equal(("userId", "NOT_FOUND"), Error(refused));
        }
    }

    /// <summary>Ids that name no active user of the office's tenant: made up, another tenant's user, a deactivated user.</summary>
    private async Task<List<(string Name, string Id)>> StrangersAsync(Office office)
    {
        using var elsewhere = await fixture.Host.NewTenantAsync();
        var theirs = await elsewhere.MutateAsync("mutation { createUser(email: \"zoe@elsewhere.example\", displayName: \"Zoe\", roles: [\"admin\"]) { user { id } userErrors { code message } } }");
        var gone = await office.Admin.MutateAsync("mutation { createUser(email: \"gone@office.example\", displayName: \"Gone\", roles: [\"user\"]) { user { id } userErrors { code message } } }");
        var goneId = gone["user"]!["id"]!.GetValue<string>();
        await office.Admin.MutateAsync("mutation($id: ID!) { updateUser(id: $id, active: false) { user { id } userErrors { code message } } }", new { id = goneId });
        return
        [
            ("made up", GlobalId.Encode(GlobalId.UserType, Guid.CreateVersion7())),
            ("another tenant's user", theirs["user"]!["id"]!.GetValue<string>()),
            ("a deactivated user", goneId),
        ];
    }

    private static async Task<string> DeactivatedTeammateAsync(Office office)
    {
        var user = await office.Admin.MutateAsync("mutation { createUser(email: \"left@office.example\", displayName: \"Left\", roles: [\"teamRep\"]) { user { id } userErrors { code message } } }");
        var id = user["user"]!["id"]!.GetValue<string>();
        var east = (await office.Admin.QueryAsync("{ teams { id name } }"))["teams"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "East")!["id"]!.GetValue<string>();
        var members = new[] { office.UserIds["alice"], office.UserIds["bob"], id };
        await office.Admin.MutateAsync("mutation($id: ID!, $m: ID, $members: [ID!]) { saveTeam(id: $id, name: \"East\", managerId: $m, memberIds: $members) { team { id } userErrors { code message } } }",
            new { id = east, m = office.UserIds["mike"], members });
        await office.Admin.MutateAsync("mutation($id: ID!) { updateUser(id: $id, active: false) { user { id } userErrors { code message } } }", new { id });
        return id;
    }

    private static (string? Field, string? Code) Error(JsonNode payload) =>
        (payload["userErrors"]![0]?["field"]?.GetValue<string>(), payload["userErrors"]![0]?["code"]?.GetValue<string>());
}
