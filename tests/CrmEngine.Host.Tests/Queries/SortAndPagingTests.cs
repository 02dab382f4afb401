using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Queries;

[Collection(HostGroup.Name)]
public sealed class SortAndPagingTests(HostFixture fixture)
{
    private const string Page = """
        query($first: Int, $after: String, $last: Int, $before: String, $orderBy: [ContactOrderBy!]) {
          contacts(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
            edges { cursor node { name score } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount
          }
        }
        """;

    /// <summary>25 contacts; scores repeat and some are empty, so ties and nulls cross page boundaries.</summary>
    private async Task<TenantClient> TenantAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        for (var i = 0; i < 25; i++)
        {
            await ContactAsync(client, $"C{i:00}", i % 6 == 0 ? null : new { score = i % 4 });
        }

        return client;
    }

    private static async Task<List<string>> WalkAsync(TenantClient client, object orderBy, bool backwards)
    {
        var names = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var data = await client.QueryAsync(Page, backwards
                ? new { first = (int?)null, after = (string?)null, last = (int?)7, before = cursor, orderBy }
                : new { first = (int?)7, after = cursor, last = (int?)null, before = (string?)null, orderBy });
            var connection = data["contacts"]!;
            Assert.Equal(25, connection["totalCount"]!.GetValue<int>());
            var page = connection["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>()).ToList();
            names = backwards ? [.. page, .. names] : [.. names, .. page];
            var info = connection["pageInfo"]!;
            if (!(backwards ? info["hasPreviousPage"] : info["hasNextPage"])!.GetValue<bool>())
            {
                return names;
            }

            cursor = (backwards ? info["startCursor"] : info["endCursor"])!.GetValue<string>();
        }

        throw new InvalidOperationException("Paging did not end.");
    }

    [Theory]
    [InlineData("[{\"score\":\"DESC\"}]")]
    [InlineData("[{\"score\":\"ASC_NULLS_LAST\"},{\"name\":\"DESC\"}]")]
    [InlineData("[{\"score\":\"DESC_NULLS_FIRST\"}]")]
    [InlineData("[{\"createdAt\":\"DESC\"}]")]
    public async Task Keyset_paging_visits_every_record_once_in_order_forwards_and_backwards(string orderByJson)
    {
        using var client = await TenantAsync();
        var orderBy = JsonNode.Parse(orderByJson)!;
        var all = await client.QueryAsync(Page, new { first = 100, orderBy });
        var expected = all["contacts"]!["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(25, expected.Distinct().Count());

        Assert.Equal(expected, await WalkAsync(client, orderBy, backwards: false));
        Assert.Equal(expected, await WalkAsync(client, orderBy, backwards: true));
    }

    [Fact]
    public async Task Sorting_uses_several_keys_and_fields_of_a_lookup()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var beta = await AccountAsync(client, "Beta", "retail");
        var alpha = await AccountAsync(client, "Alpha", "telecom");
        await ContactAsync(client, "b1", new { score = 1, accountId = beta });
        await ContactAsync(client, "a1", new { score = 1, accountId = alpha });
        await ContactAsync(client, "a2", new { score = 2, accountId = alpha });
        await ContactAsync(client, "none", new { score = 3 });

        var byAccount = await client.QueryAsync("{ contacts(orderBy: [{ account: { name: ASC } }, { score: DESC }]) { nodes { name } } }");
        Assert.Equal(["none", "a2", "a1", "b1"], Names(byAccount["contacts"]!));
        var byIndustryLast = await client.QueryAsync("{ contacts(orderBy: [{ account: { industry: DESC_NULLS_LAST } }, { name: ASC }]) { nodes { name } } }");
        Assert.Equal(["a1", "a2", "b1", "none"], Names(byIndustryLast["contacts"]!));

        // Paging through a lookup key carries the related value in the cursor.
        var first = await client.QueryAsync("{ contacts(first: 2, orderBy: [{ account: { name: DESC } }]) { nodes { name } pageInfo { endCursor } } }");
        var cursor = first["contacts"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        var rest = await client.QueryAsync("query($after: String) { contacts(first: 5, after: $after, orderBy: [{ account: { name: DESC } }]) { nodes { name } } }", new { after = cursor });
        // Ties break by id in the direction of the last key: a2 (created later) before a1.
        Assert.Equal(["b1", "a2", "a1", "none"], Names(first["contacts"]!).Concat(Names(rest["contacts"]!)).ToList());
    }

    [Fact]
    public async Task Records_inserted_between_pages_neither_repeat_nor_shift_the_next_page()
    {
        using var client = await TenantAsync();
        var orderBy = new[] { new { score = "ASC_NULLS_LAST" } };
        var first = await client.QueryAsync(Page, new { first = 5, orderBy });
        var seen = first["contacts"]!["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>()).ToList();
        await ContactAsync(client, "Z-before", new { score = -1 });
        await ContactAsync(client, "Z-after", new { score = 99 });

        var next = await client.QueryAsync(Page, new { first = 100, after = first["contacts"]!["pageInfo"]!["endCursor"]!.GetValue<string>(), orderBy });
        var rest = next["contacts"]!["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>()).ToList();
        Assert.Empty(seen.Intersect(rest));
        Assert.DoesNotContain("Z-before", rest);
        Assert.Contains("Z-after", rest);
        Assert.Equal(25 - 5 + 1, rest.Count);
    }

    [Fact]
    public async Task A_cursor_from_another_sort_entity_or_tenant_is_refused()
    {
        using var client = await TenantAsync();
        var byScore = await client.QueryAsync(Page, new { first = 2, orderBy = new[] { new { score = "ASC" } } });
        var cursor = byScore["contacts"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var otherSort = await client.PostAsync(Page, new { first = 2, after = cursor, orderBy = new[] { new { score = "DESC" } } });
        Assert.Equal("INVALID_CURSOR", otherSort.FirstErrorCode);
        var otherEntity = await client.PostAsync("query($after: String) { accounts(first: 2, after: $after, orderBy: [{ name: ASC }]) { nodes { name } } }", new { after = cursor });
        Assert.Equal("INVALID_CURSOR", otherEntity.FirstErrorCode);
        var tampered = await client.PostAsync(Page, new { first = 2, after = "x" + cursor[1..], orderBy = new[] { new { score = "ASC" } } });
        Assert.Equal("INVALID_CURSOR", tampered.FirstErrorCode);

        using var other = await fixture.Host.NewTenantAsync();
        await DefineAsync(other);
        var otherTenant = await other.PostAsync(Page, new { first = 2, after = cursor, orderBy = new[] { new { score = "ASC" } } });
        Assert.Equal("INVALID_CURSOR", otherTenant.FirstErrorCode);

        // The refusals changed nothing: the original cursor still works.
        var next = await client.QueryAsync(Page, new { first = 2, after = cursor, orderBy = new[] { new { score = "ASC" } } });
        Assert.Equal(2, next["contacts"]!["edges"]!.AsArray().Count);
    }

    [Fact]
    public async Task Bad_sort_and_page_requests_get_typed_errors()
    {
        using var client = await TenantAsync();

        var tooBig = await client.PostAsync("{ contacts(first: 501) { nodes { name } } }");
        Assert.Equal("PAGE_SIZE_EXCEEDED", tooBig.FirstErrorCode);
        var twoMembers = await client.PostAsync("{ contacts(orderBy: [{ name: ASC, score: DESC }]) { nodes { name } } }");
        Assert.Equal("INVALID_SORT", twoMembers.FirstErrorCode);
        var unknownField = await client.PostAsync("{ contacts(orderBy: [{ nickname: ASC }]) { nodes { name } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", unknownField.FirstErrorCode);
        var badDirection = await client.PostAsync("{ contacts(orderBy: [{ name: UP }]) { nodes { name } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", badDirection.FirstErrorCode);
        var tooManyKeys = await client.PostAsync("{ contacts(orderBy: [{ name: ASC }, { score: ASC }, { email: ASC }, { status: ASC }, { active: ASC }, { budget: ASC }]) { nodes { name } } }");
        Assert.Equal("INVALID_SORT", tooManyKeys.FirstErrorCode);
    }
}
