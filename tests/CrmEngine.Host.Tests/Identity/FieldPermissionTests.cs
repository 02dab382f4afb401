using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// A field hidden from a role (teamRep hides account margin, tier and notes) can't be read,
/// filtered, sorted, grouped, aggregated, searched or written by its holders.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class FieldPermissionTests(HostFixture fixture)
{
    [Fact]
    public async Task A_hidden_field_reads_as_null_wherever_the_record_appears()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var bob = await office.As["bob"].QueryAsync("query($id: ID!) { account(id: $id) { name margin tier notes } contacts { nodes { account { margin } } } }", new { id = office.Accounts["bob"] });
        Assert.Equal("Acme East Bob", bob["account"]!["name"]!.GetValue<string>());
        Assert.Null(bob["account"]!["margin"]);
        Assert.Null(bob["account"]!["tier"]);
        Assert.Null(bob["account"]!["notes"]);

        var admin = await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { margin tier } }", new { id = office.Accounts["bob"] });
        Assert.Equal(20m, admin["account"]!["margin"]!.GetValue<decimal>());
        Assert.Equal("gold", admin["account"]!["tier"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{ accounts(filter: { margin: { gt: 15 } }) { totalCount } }")]
    [InlineData("{ accounts(orderBy: [{ margin: DESC }]) { nodes { name } } }")]
    [InlineData("{ accountsAggregate(groupBy: [{ field: tier }]) { groups { count } } }")]
    [InlineData("{ accountsAggregate { sum { margin } } }")]
    [InlineData("{ contacts(filter: { account: { margin: { gt: 15 } } }) { totalCount } }")]
    public async Task A_hidden_field_can_not_be_filtered_sorted_grouped_or_aggregated(string query)
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var refused = await office.As["bob"].PostAsync(query);
        Assert.Equal("FORBIDDEN", refused.FirstErrorCode);
        Assert.Null(refused.Data?.AsObject().Single().Value);

        // The same query is fine for someone who may read the field.
        Assert.Null((await office.As["dave"].PostAsync(query)).Errors);
    }

    [Fact]
    public async Task Searching_does_not_match_text_in_a_hidden_field()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        const string query = "{ search(text: \"secretwordbob\") { record { ... on Account { name } } } }";
        Assert.Empty((await office.As["bob"].QueryAsync(query))["search"]!.AsArray());
        Assert.Single((await office.As["dave"].QueryAsync(query))["search"]!.AsArray());
    }

    [Fact]
    public async Task A_hidden_field_can_not_be_written_on_create_or_update_and_nothing_changes()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var bob = office.As["bob"];
        var create = await bob.QueryAsync("mutation { createAccount(input: { name: \"new\", margin: 99 }) { account { id } userErrors { code field } } }");
        Assert.Equal(("FORBIDDEN", "margin"), (create["createAccount"]!["userErrors"]![0]!["code"]!.GetValue<string>(), create["createAccount"]!["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Null(create["createAccount"]!["account"]);

        var update = await bob.QueryAsync("mutation($id: ID!) { updateAccount(id: $id, input: { name: \"renamed\", notes: \"overwritten\" }) { userErrors { code field } } }", new { id = office.Accounts["bob"] });
        Assert.Equal("FORBIDDEN", update["updateAccount"]!["userErrors"]![0]!["code"]!.GetValue<string>());

        var after = await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { name notes version } accounts { totalCount } }", new { id = office.Accounts["bob"] });
        Assert.Equal("Acme East Bob", after["account"]!["name"]!.GetValue<string>());
        Assert.Equal("secretwordbob", after["account"]!["notes"]!.GetValue<string>());
        Assert.Equal(3, after["accounts"]!["totalCount"]!.GetValue<int>());
    }
}
