using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Queries;

/// <summary>No N+1: lookups on a page are read in one query per target entity, counted at the EF command level.</summary>
public sealed class BatchingTests(CountingHostFixture fixture) : IClassFixture<CountingHostFixture>
{
    private readonly CommandCounter _counter = fixture.Commands;
    private readonly CrmHost _host = fixture.Host;

    [Fact]
    public async Task A_page_of_records_with_two_lookups_takes_a_constant_number_of_queries()
    {
        using var client = await _host.NewTenantAsync();
        await DefineAsync(client);
        await client.MutateAsync(CreateEntity, new { input = new { name = "region", labels = Labels("Region", "区域"), fields = new[] { Field("name", "TEXT") } } });
        await client.MutateAsync(AddField, new { entity = "contact", input = Field("region", "LOOKUP", new { lookupEntity = "region" }) });
        var regions = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var region = await client.MutateAsync("mutation($name: String) { createRegion(input: { name: $name }) { region { id } userErrors { code } } }", new { name = "R" + i });
            regions.Add(region["region"]!["id"]!.GetValue<string>());
        }

        var accounts = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            accounts.Add(await AccountAsync(client, "Account " + i, "retail"));
        }

        for (var i = 0; i < 100; i++)
        {
            await ContactAsync(client, "Contact " + i, new { accountId = accounts[i % accounts.Count], regionId = regions[i % regions.Count] });
        }

        const string Query = "query($first: Int) { contacts(first: $first) { totalCount nodes { name account { name industry } region { name } } } }";
        _counter.Reset();
        var page = await client.QueryAsync(Query, new { first = 100 });
        var forHundred = _counter.Count;
        Assert.Equal(100, page["contacts"]!["nodes"]!.AsArray().Count);
        Assert.All(page["contacts"]!["nodes"]!.AsArray(), n => Assert.StartsWith("Account ", n!["account"]!["name"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(page["contacts"]!["nodes"]!.AsArray(), n => Assert.StartsWith("R", n!["region"]!["name"]!.GetValue<string>(), StringComparison.Ordinal));

        _counter.Reset();
        await client.QueryAsync(Query, new { first = 10 });
        var forTen = _counter.Count;

        // count, page, accounts, regions: four commands however long the page.
        Assert.Equal(4, forHundred);
        Assert.Equal(forTen, forHundred);
    }

    [Fact]
    public async Task Nodes_by_id_take_one_query_per_entity()
    {
        using var client = await _host.NewTenantAsync();
        await DefineAsync(client);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await AccountAsync(client, "Account " + i, "retail"));
            ids.Add(await ContactAsync(client, "Contact " + i));
        }

        _counter.Reset();
        var data = await client.QueryAsync("query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Account { name } ... on Contact { name } } }", new { ids });
        Assert.Equal(ids, data["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList());
        Assert.Equal(2, _counter.Count);
    }
}
