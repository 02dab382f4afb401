using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.GraphQL.GuardAssertions;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// Hostile document shapes (deep nesting, alias floods, multiplying pages, fragment bombs, oversized
/// batches) are refused before they cost anything, with a clear code, and the caller's next normal
/// request is served.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class QueryShapeGuardTests(HostFixture fixture)
{

    [Fact]
    public async Task A_query_nested_100_deep_is_refused_quickly_with_QUERY_TOO_DEEP()
    {
        using var client = await FoldersAsync();
        await RefusedQuicklyAsync(client, Nested(100), "QUERY_TOO_DEEP");
        await AssertStillServedAsync(client);
    }

    [Fact]
    public async Task Depth_is_counted_through_fragments_and_the_limit_itself_is_allowed()
    {
        using var client = await FoldersAsync();
        await client.MutateAsync("mutation { createFolder(input: { name: \"root\" }) { folder { id } userErrors { code message } } }");

        // folders > nodes > 17 parents > name: 20 levels, the default limit.
        var atLimit = await client.QueryAsync(Nested(20));
        Assert.Equal("root", atLimit["folders"]!["nodes"]![0]!["name"]!.GetValue<string>());

        var viaFragment = "{ folders { nodes { ...up } } } fragment up on Folder { name " + Parents(18) + " }";
        var refused = await client.PostAsync(viaFragment, accept: GraphQLResponseJson);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("QUERY_TOO_DEEP", refused.FirstErrorCode);
        Assert.Contains("more than 20 levels", Message(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_thousand_aliases_are_refused_quickly_while_a_hundred_are_served()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var flood = await RefusedQuicklyAsync(client, Aliases(10_000), "TOO_MANY_ALIASES");
        Assert.Contains("more than 100 aliases", Message(flood), StringComparison.Ordinal);

        var hundred = await client.QueryAsync(Aliases(100));
        Assert.Equal(100, hundred.AsObject().Count);
    }

    [Fact]
    public async Task Pages_of_pages_multiply_the_complexity_even_when_the_page_size_comes_from_variables()
    {
        using var client = await FoldersAsync();
        const string query = "query($n: Int) { folders(first: $n) { nodes { name children(first: $n) { nodes { name children(first: $n) { nodes { name } } } } } } }";

        // Small pages run, and leave the document in the validated-document cache...
        var small = await client.QueryAsync(query, new { n = 10 });
        Assert.NotNull(small["folders"]);

        // ...where big pages of the same text are still refused: 500 x 500 x 500 possible rows.
        var big = await RefusedQuicklyAsync(client, query, "QUERY_TOO_COMPLEX", new { n = 500 });
        Assert.Contains("smaller pages", Message(big), StringComparison.Ordinal);

        // Without an explicit size a page counts as the default page size (50): 50 x 50 x 50 is over the limit too.
        var defaults = await client.PostAsync("{ folders { nodes { children { nodes { children { nodes { name } } } } } } }", accept: GraphQLResponseJson);
        Assert.Equal("QUERY_TOO_COMPLEX", defaults.FirstErrorCode);
    }

    [Fact]
    public async Task A_fragment_bomb_is_refused_quickly()
    {
        using var client = await fixture.Host.NewTenantAsync();
        // Each fragment spreads the next twice: 2^40 fields once expanded.
        var bomb = new StringBuilder("{ ...f0 }");
        for (var i = 0; i < 40; i++)
        {
            bomb.Append(CultureInfo.InvariantCulture, $" fragment f{i} on Query {{ ...f{i + 1} ...f{i + 1} }}");
        }

        bomb.Append(" fragment f40 on Query { metadataVersion }");
        await RefusedQuicklyAsync(client, bomb.ToString(), "QUERY_TOO_COMPLEX");
        await AssertStillServedAsync(client);
    }

    [Fact]
    public async Task A_batch_runs_its_operations_in_order_and_answers_each()
    {
        using var client = await FoldersAsync();
        var batch = JsonSerializer.Serialize(new object[]
        {
            new { query = "mutation { createFolder(input: { name: \"first\" }) { folder { name } userErrors { code } } }" },
            new { query = "{ folders { totalCount } }" },
            new { query = "{ nosuchField }" },
        });
        using var http = await client.Http.PostAsync("/graphql", RawBody.Json(batch));
        var response = await GraphQLResponse.ReadAsync(http);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var results = response.Body!.AsArray();
        Assert.Equal(3, results.Count);
        Assert.Equal("first", results[0]!["data"]!["createFolder"]!["folder"]!["name"]!.GetValue<string>());
        Assert.Equal(1, results[1]!["data"]!["folders"]!["totalCount"]!.GetValue<int>());
        Assert.NotNull(results[2]!["errors"]);
    }

    [Fact]
    public async Task A_batch_above_the_limit_is_refused_with_BATCH_TOO_LARGE_and_runs_nothing()
    {
        using var client = await FoldersAsync();
        var batch = JsonSerializer.Serialize(Enumerable.Range(0, 11)
            .Select(i => new { query = $"mutation {{ createFolder(input: {{ name: \"f{i}\" }}) {{ folder {{ id }} }} }}" }));
        using var http = await client.Http.PostAsync("/graphql", RawBody.Json(batch));
        var response = await GraphQLResponse.ReadAsync(http);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BATCH_TOO_LARGE", response.FirstErrorCode);
        Assert.Contains("at most 10", Message(response), StringComparison.Ordinal);
        Assert.Equal(0, (await client.QueryAsync("{ folders { totalCount } }"))["folders"]!["totalCount"]!.GetValue<int>());
    }

    /// <summary>A tenant with folders, each with an optional parent folder (children is the inverse list).</summary>
    private async Task<TenantClient> FoldersAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync(CreateEntity, new { input = new { name = "folder", labels = Labels("Folder", "文件夹"), fields = new[] { Field("name", "TEXT", new { required = true }) } } });
        await client.MutateAsync(AddField, new { entity = "folder", input = Field("parent", "LOOKUP", new { lookupEntity = "folder", inverseName = "children" }) });
        return client;
    }

    /// <summary>folders > nodes > parent > parent ... : <paramref name="depth"/> levels of fields, ending in name.</summary>
    private static string Nested(int depth) => "{ folders { nodes { name " + Parents(depth - 3) + " } } }";

    private static string Parents(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("parent { ");
        }

        text.Append("name ");
        text.Append(string.Concat(Enumerable.Repeat("} ", count)));
        return text.ToString();
    }

    private static string Aliases(int count) =>
        "{ " + string.Join(' ', Enumerable.Range(0, count).Select(i => $"a{i}: metadataVersion")) + " }";
}
