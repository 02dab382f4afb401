using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Records.BulkMutationTests;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Records;

/// <summary>A host that takes at most 4 items per bulk mutation and commits them 2 at a time.</summary>
public sealed class SmallBulkHostFixture() : SharedHostFixture(new Dictionary<string, string?> { ["Crm:MaxBulkItems"] = "4", ["Crm:BulkChunkSize"] = "2" });

/// <summary>The configured maximum per request, and items spread over several transactions.</summary>
public sealed class BulkLimitTests(SmallBulkHostFixture fixture) : IClassFixture<SmallBulkHostFixture>
{
    private const string CreateMany = $"mutation($inputs: [CreateProjectInput!]!, $atomic: Boolean) {{ createManyProjects(inputs: $inputs, atomic: $atomic) {{ {Results} }} }}";

    [Fact]
    public async Task More_items_than_the_host_allows_are_refused_as_a_whole_and_nothing_is_written()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var payload = (await client.QueryAsync(CreateMany, new { inputs = Enumerable.Range(0, 5).Select(i => new { title = $"P{i}" }).ToArray() }))["createManyProjects"]!;

        Assert.Equal(("TOO_MANY_ITEMS", "inputs"), (payload["userErrors"]![0]!["code"]!.GetValue<string>(), payload["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Empty(payload["results"]!.AsArray());
        Assert.Equal(0, await CountAsync(client));
    }

    [Fact]
    public async Task A_refused_item_in_one_chunk_leaves_the_rest_of_its_chunk_and_the_other_chunks_written()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        // Chunks [0, 1] and [2, 3]; item 2 is refused.
        var payload = (await client.QueryAsync(CreateMany, new { inputs = new object[] { new { title = "A" }, new { title = "B" }, new { headcount = 1 }, new { title = "D" } } }))["createManyProjects"]!;

        Assert.Equal([null, null, "REQUIRED", null], payload["results"]!.AsArray().Select(r => Code(r!)));
        Assert.Equal(3, await CountAsync(client));
    }

    [Fact]
    public async Task An_atomic_request_is_one_transaction_whatever_the_chunk_size()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var payload = (await client.QueryAsync(CreateMany, new { atomic = true, inputs = new object[] { new { title = "A" }, new { title = "B" }, new { title = "C" }, new { title = "D", headcount = -1 } } }))["createManyProjects"]!;

        Assert.Equal(["NOT_WRITTEN", "NOT_WRITTEN", "NOT_WRITTEN", "OUT_OF_RANGE"], payload["results"]!.AsArray().Select(r => Code(r!)));
        Assert.Equal(0, await CountAsync(client));
    }
}
