using System.Net;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Queries;

/// <summary>Every malformed query gets a typed error (extensions.code), never a 500, and leaves the tenant working.</summary>
[Collection(HostGroup.Name)]
public sealed class BadInputTests(HostFixture fixture)
{
    private async Task<TenantClient> TenantAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        await ContactAsync(client, "Alice", new { score = 5 });
        return client;
    }

    [Theory]
    [InlineData("{ contacts(filter: { nickname: { eq: \"x\" } }) { nodes { name } } }", "ARGUMENTS_OF_CORRECT_TYPE")]
    [InlineData("{ contacts(filter: { score: { like: 5 } }) { nodes { name } } }", "ARGUMENTS_OF_CORRECT_TYPE")]
    [InlineData("{ contacts(filter: { score: { contains: \"5\" } }) { nodes { name } } }", "ARGUMENTS_OF_CORRECT_TYPE")]
    [InlineData("{ contacts(filter: { score: { gt: \"many\" } }) { nodes { name } } }", "ARGUMENTS_OF_CORRECT_TYPE")]
    [InlineData("{ contacts(filter: { lastContactedAt: { gt: \"yesterday\" } }) { nodes { name } } }", "ARGUMENTS_OF_CORRECT_TYPE")]
    [InlineData("{ contacts(filter: { lastContactedAt: { relative: { period: SOMEDAY } } }) { nodes { name } } }", "ARGUMENTS_OF_CORRECT_TYPE")]
    [InlineData("{ contacts(filter: { status: { eq: \"archived\" } }) { nodes { name } } }", "INVALID_OPTION")]
    [InlineData("{ contacts(filter: { score: { between: [1] } }) { nodes { name } } }", "INVALID_VALUE")]
    [InlineData("{ contacts(filter: { name: { contains: \"\" } }) { nodes { name } } }", "INVALID_VALUE")]
    [InlineData("{ contacts(filter: { accountId: { eq: \"not-an-id\" } }) { nodes { name } } }", "INVALID_ID")]
    [InlineData("{ contacts(filter: { not: { not: { not: { not: { not: { not: { not: { not: { not: { not: { not: { name: { eq: \"x\" } } } } } } } } } } } } }) { nodes { name } } }", "FILTER_TOO_DEEP")]
    [InlineData("{ contacts(first: 10, last: 10) { nodes { name } } }", "INVALID_INPUT")]
    [InlineData("{ contacts(first: -1) { nodes { name } } }", "INVALID_INPUT")]
    [InlineData("{ contacts(first: 1000) { nodes { name } } }", "PAGE_SIZE_EXCEEDED")]
    [InlineData("{ contacts(after: \"garbage\") { nodes { name } } }", "INVALID_CURSOR")]
    [InlineData("{ contacts(orderBy: [{}]) { nodes { name } } }", "INVALID_SORT")]
    [InlineData("{ contactsAggregate(groupBy: [{ field: name }, { field: status }, { field: score }, { field: active }]) { count } }", "INVALID_AGGREGATE")]
    [InlineData("{ contactsAggregate(groupBy: [{ field: lastContactedAt, bucket: MONTH, timeZone: \"Nowhere/Land\" }]) { groups { count } } }", "INVALID_VALUE")]
    public async Task A_bad_query_gets_a_typed_error_and_nothing_breaks(string query, string code)
    {
        using var client = await TenantAsync();

        var response = await client.PostAsync(query);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal(code, response.FirstErrorCode);
        Assert.DoesNotContain("   at ", response.Raw, StringComparison.Ordinal);
        var after = await client.QueryAsync("{ contacts(filter: { score: { gte: 1 } }) { totalCount } }");
        Assert.Equal(1, after["contacts"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_query_already_validated_and_cached_still_has_its_variables_checked()
    {
        using var client = await TenantAsync();
        const string Query = "query($first: Int, $min: Long) { contacts(first: $first, filter: { score: { gte: $min } }) { nodes { name } } }";
        var good = await client.QueryAsync(Query, new { first = 5, min = 1 });
        Assert.Single(good["contacts"]!["nodes"]!.AsArray());

        var badType = await client.PostAsync(Query, new { first = "five", min = 1 });
        Assert.Equal("INVALID_VALUE", badType.FirstErrorCode);
        var tooMany = await client.PostAsync(Query, new { first = 100_000, min = 1 });
        Assert.Equal("PAGE_SIZE_EXCEEDED", tooMany.FirstErrorCode);
        var again = await client.QueryAsync(Query, new { first = 5, min = 10 });
        Assert.Empty(again["contacts"]!["nodes"]!.AsArray());
    }

    [Fact]
    public async Task Filters_through_lookups_and_lists_count_toward_the_depth_limit()
    {
        using var client = await TenantAsync();
        var nested = string.Concat(Enumerable.Repeat("account: { contacts: { some: { ", 6)) + "name: { eq: \"x\" }" + string.Concat(Enumerable.Repeat(" } } }", 6));

        var response = await client.PostAsync($"{{ contacts(filter: {{ {nested} }}) {{ nodes {{ name }} }} }}");

        Assert.Equal("FILTER_TOO_DEEP", response.FirstErrorCode);
        var shallow = await client.PostAsync("{ contacts(filter: { account: { contacts: { some: { name: { eq: \"x\" } } } } }) { nodes { name } } }");
        Assert.Null(shallow.Errors);
    }
}
