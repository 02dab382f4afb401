using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Queries;

/// <summary>Lists read only the columns a query selects; every way of selecting a field still gets its value.</summary>
[Collection(HostGroup.Name)]
public sealed class SelectionTests(HostFixture fixture)
{
    [Fact]
    public async Task Fields_selected_through_fragments_aliases_and_edges_all_come_back()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var account = await AccountAsync(client, "深圳华为技术有限公司", "telecom");
        await ContactAsync(client, "Alice", new { score = 7, budget = new { amount = 12.5 }, email = "alice@example.com", status = "won", accountId = account });

        var data = await client.QueryAsync("""
            fragment Money on Contact { budget { amount currency } }
            {
              contacts(first: 5) {
                nodes { ...Money ... on Contact { points: score } accountId }
                edges { node { email account { name } } }
              }
              accounts { nodes { name contacts { nodes { status email } } } }
            }
            """);

        var node = data["contacts"]!["nodes"]![0]!;
        Assert.Equal(12.5m, node["budget"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("CNY", node["budget"]!["currency"]!.GetValue<string>());
        Assert.Equal(7, node["points"]!.GetValue<int>());
        Assert.Equal(account, node["accountId"]!.GetValue<string>());
        var edge = data["contacts"]!["edges"]![0]!["node"]!;
        Assert.Equal("alice@example.com", edge["email"]!.GetValue<string>());
        Assert.Equal("深圳华为技术有限公司", edge["account"]!["name"]!.GetValue<string>());
        var inverse = data["accounts"]!["nodes"]![0]!["contacts"]!["nodes"]![0]!;
        Assert.Equal("won", inverse["status"]!.GetValue<string>());
        Assert.Equal("alice@example.com", inverse["email"]!.GetValue<string>());
    }
}
