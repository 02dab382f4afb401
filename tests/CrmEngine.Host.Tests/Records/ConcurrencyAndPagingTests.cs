using System.Text.Json.Nodes;
using CrmEngine.Engine.Records;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Records;

[Collection(HostGroup.Name)]
public sealed class ConcurrencyAndPagingTests(HostFixture fixture)
{
    private static async Task<List<string>> CreateProjectsAsync(TenantClient client, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = await client.MutateAsync($"mutation {{ createProject(input: {{ title: \"P{i}\" }}) {{ project {{ id }} userErrors {{ code }} }} }}");
            ids.Add(created["project"]!["id"]!.GetValue<string>());
        }

        return ids;
    }

    [Fact]
    public async Task Two_updates_from_the_same_version_over_http_let_exactly_one_win()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        var id = (await CreateProjectsAsync(client, 1))[0];

        var attempts = await Task.WhenAll(new[] { "A", "B" }.Select(title =>
            client.QueryAsync($"mutation {{ updateProject(id: \"{id}\", version: 1, input: {{ title: \"{title}\" }}) {{ project {{ version }} userErrors {{ code }} }} }}")));

        var codes = attempts.Select(a => a["updateProject"]!["userErrors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()).SingleOrDefault()).ToList();
        Assert.Single(codes, c => c is null);
        Assert.Single(codes, c => c == "VERSION_CONFLICT");
        var stored = await client.QueryAsync($"{{ project(id: \"{id}\") {{ version history {{ version }} }} }}");
        Assert.Equal(2, stored["project"]!["version"]!.GetValue<int>());
        Assert.Equal(2, stored["project"]!["history"]!.AsArray().Count);
    }

    [Fact]
    public async Task Pages_move_forward_and_backward_with_cursors()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        var ids = await CreateProjectsAsync(client, 5);
        const string Page = "query($first: Int, $after: String, $last: Int, $before: String) { projects(first: $first, after: $after, last: $last, before: $before) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

        var first = (await client.QueryAsync(Page, new { first = 2 }))["projects"]!;
        Assert.Equal(ids[..2], Ids(first));
        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(5, first["totalCount"]!.GetValue<int>());

        var second = (await client.QueryAsync(Page, new { first = 2, after = first["pageInfo"]!["endCursor"]!.GetValue<string>() }))["projects"]!;
        Assert.Equal(ids[2..4], Ids(second));

        var last = (await client.QueryAsync(Page, new { first = 2, after = second["pageInfo"]!["endCursor"]!.GetValue<string>() }))["projects"]!;
        Assert.Equal(ids[4..], Ids(last));
        Assert.False(last["pageInfo"]!["hasNextPage"]!.GetValue<bool>());

        var back = (await client.QueryAsync(Page, new { last = 2, before = last["pageInfo"]!["startCursor"]!.GetValue<string>() }))["projects"]!;
        Assert.Equal(ids[2..4], Ids(back));
        Assert.True(back["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_page_is_stable_when_records_are_inserted_meanwhile()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        var ids = await CreateProjectsAsync(client, 3);
        var first = (await client.QueryAsync("{ projects(first: 2) { pageInfo { endCursor } } }"))["projects"]!;
        await CreateProjectsAsync(client, 2);

        var next = await client.QueryAsync("query($after: String) { projects(first: 2, after: $after) { nodes { id } } }", new { after = first["pageInfo"]!["endCursor"]!.GetValue<string>() });
        Assert.Equal(ids[2], next["projects"]!["nodes"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cursor_from_another_entity_or_tampered_with_is_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        await CreateProjectsAsync(client, 2);
        await client.MutateAsync("mutation { createAccount(input: { name: \"A\" }) { userErrors { code } } }");
        var accountCursor = (await client.QueryAsync("{ accounts { pageInfo { endCursor } } }"))["accounts"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var wrongEntity = await client.PostAsync("query($after: String) { projects(after: $after) { totalCount } }", new { after = accountCursor });
        Assert.Equal("INVALID_CURSOR", wrongEntity.FirstErrorCode);
        var garbage = await client.PostAsync("{ projects(after: \"abc.def\") { totalCount } }");
        Assert.Equal("INVALID_CURSOR", garbage.FirstErrorCode);
    }

    [Fact]
    public async Task A_cursor_from_another_tenant_is_refused()
    {
        using var first = await fixture.Host.NewTenantAsync();
        using var second = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(first);
        await Schemas.DefineProjectsAsync(second);
        await CreateProjectsAsync(first, 2);
        var cursor = (await first.QueryAsync("{ projects(first: 1) { pageInfo { endCursor } } }"))["projects"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var response = await second.PostAsync("query($after: String) { projects(after: $after) { totalCount } }", new { after = cursor });
        Assert.Equal("INVALID_CURSOR", response.FirstErrorCode);
    }

    [Fact]
    public async Task A_page_larger_than_the_limit_is_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        var response = await client.PostAsync("{ projects(first: 100000) { totalCount } }");
        Assert.Equal("PAGE_SIZE_EXCEEDED", response.FirstErrorCode);
        Assert.Equal("INVALID_INPUT", (await client.PostAsync("{ projects(first: -1) { totalCount } }")).FirstErrorCode);
    }

    [Fact]
    public async Task Deleted_records_are_left_out_unless_asked_for()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        var ids = await CreateProjectsAsync(client, 3);
        await client.MutateAsync($"mutation {{ deleteProject(id: \"{ids[0]}\") {{ userErrors {{ code }} }} }}");

        var data = await client.QueryAsync("{ live: projects { totalCount } all: projects(deleted: INCLUDE) { totalCount } gone: projects(deleted: ONLY) { nodes { id } } }");
        Assert.Equal(2, data["live"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(3, data["all"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(ids[0], data["gone"]!["nodes"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Node_and_nodes_find_records_by_global_id()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        var ids = await CreateProjectsAsync(client, 2);
        var missing = GlobalId.Encode("project", Guid.CreateVersion7());

        var data = await client.QueryAsync($"{{ node(id: \"{ids[0]}\") {{ id __typename }} nodes(ids: [\"{ids[1]}\", \"{missing}\"]) {{ id }} }}");
        Assert.Equal("Project", data["node"]!["__typename"]!.GetValue<string>());
        Assert.Equal(ids[1], data["nodes"]![0]!["id"]!.GetValue<string>());
        Assert.Null(data["nodes"]![1]);
    }

    [Fact]
    public async Task Equality_filters_select_records()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        await CreateProjectsAsync(client, 3);
        await client.MutateAsync("mutation { createProject(input: { title: \"Running\", status: \"running\", headcount: 4 }) { userErrors { code } } }");

        var data = await client.QueryAsync("""
            { running: projects(filter: { status: { eq: "running" } }) { nodes { title } }
              notRunning: projects(filter: { not: { status: { eq: "running" } } }) { totalCount }
              either: projects(filter: { or: [{ title: { in: ["P0", "P1"] } }, { headcount: { eq: 4 } }] }) { totalCount }
              noHeadcount: projects(filter: { headcount: { isNull: true } }) { totalCount } }
            """);
        Assert.Equal("Running", data["running"]!["nodes"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(3, data["notRunning"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(3, data["either"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(3, data["noHeadcount"]!["totalCount"]!.GetValue<int>());
    }

    private static List<string> Ids(JsonNode connection) => connection["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
}
