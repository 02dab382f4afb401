using System.Net;
using System.Text.Json.Nodes;
using CrmEngine.Engine.Records;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Records;

/// <summary>Every kind of bad input gets a clear, typed error and writes nothing.</summary>
[Collection(HostGroup.Name)]
public sealed class BadInputTests(HostFixture fixture) : IAsyncLifetime
{
    private TenantClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(_client);
        await _client.MutateAsync("mutation { createProject(input: { title: \"Existing\", contactEmail: \"taken@example.cn\" }) { userErrors { code } } }");
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private async Task AssertNothingWrittenAsync()
    {
        var data = await _client.QueryAsync("{ projects(deleted: INCLUDE) { totalCount } accounts { totalCount } }");
        Assert.Equal(1, data["projects"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(0, data["accounts"]!["totalCount"]!.GetValue<int>());
    }

    private async Task<JsonObject> UserErrorOfAsync(string input)
    {
        var data = await _client.QueryAsync($"mutation {{ createProject(input: {input}) {{ project {{ id }} userErrors {{ field code message }} }} }}");
        var payload = data["createProject"]!;
        Assert.Null(payload["project"]);
        return Assert.Single(payload["userErrors"]!.AsArray())!.AsObject();
    }

    [Fact]
    public async Task An_unknown_entity_is_a_validation_error()
    {
        var response = await _client.PostAsync("mutation { createWidget(input: { name: \"x\" }) { userErrors { code } } }");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", response.FirstErrorCode);
        Assert.Null(response.Data);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("\"a\\u0000b\"")]
    [InlineData("\"\\u0000\"")]
    [InlineData("\"lone \\ud800 surrogate\"")]
    [InlineData("\"\\udc00\"")]
    public async Task Text_no_store_can_hold_a_nul_or_a_lone_surrogate_is_refused_in_writes_and_filters(string literal)
    {
        var error = await UserErrorOfAsync($"{{ title: {literal} }}");
        Assert.Equal(("title", "INVALID_VALUE"), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        await AssertNothingWrittenAsync();

        var filtered = await _client.PostAsync($"{{ projects(filter: {{ title: {{ contains: {literal} }} }}) {{ nodes {{ id }} }} }}");
        Assert.Equal("INVALID_VALUE", filtered.FirstErrorCode);
    }

    [Fact]
    public async Task An_unknown_field_is_a_validation_error_naming_it()
    {
        var response = await _client.PostAsync("mutation { createProject(input: { title: \"x\", colour: \"red\" }) { userErrors { code } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", response.FirstErrorCode);
        Assert.Contains("colour", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_wrong_value_type_is_a_validation_error_in_the_query_and_in_variables()
    {
        var literal = await _client.PostAsync("mutation { createProject(input: { title: \"x\", headcount: \"many\" }) { userErrors { code } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", literal.FirstErrorCode);

        var variables = await _client.PostAsync(
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { userErrors { code } } }",
            new { input = new { title = "x", startsOn = "not a date" } });
        Assert.Equal("INVALID_VALUE", variables.FirstErrorCode);
        Assert.Contains("startsOn", variables.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_missing_required_field_is_a_user_error()
    {
        var error = await UserErrorOfAsync("{ headcount: 3 }");
        Assert.Equal(("REQUIRED", "title"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_unique_violation_is_a_user_error()
    {
        var error = await UserErrorOfAsync("{ title: \"Dup\", contactEmail: \"TAKEN@example.cn\" }");
        Assert.Equal(("UNIQUE_VIOLATION", "contactEmail"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_bad_picklist_option_is_a_user_error_listing_the_allowed_ones()
    {
        var error = await UserErrorOfAsync("{ title: \"x\", status: \"done\" }");
        Assert.Equal("INVALID_OPTION", error["code"]!.GetValue<string>());
        Assert.Contains("planned, running", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_dangling_lookup_is_a_user_error()
    {
        var missingAccount = GlobalId.Encode("account", Guid.CreateVersion7());
        var error = await UserErrorOfAsync($"{{ title: \"x\", accountId: \"{missingAccount}\" }}");
        Assert.Equal(("LOOKUP_NOT_FOUND", "account"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_lookup_given_the_id_of_another_entity_is_a_user_error()
    {
        var projectId = GlobalId.Encode("project", Guid.CreateVersion7());
        var error = await UserErrorOfAsync($"{{ title: \"x\", accountId: \"{projectId}\" }}");
        Assert.Equal(("INVALID_ID", "accountId"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_too_long_string_is_a_user_error()
    {
        var error = await UserErrorOfAsync("{ title: \"深圳华为技术有限公司深圳华为技术有限公司深圳\" }");
        Assert.Equal(("TOO_LONG", "title"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_value_out_of_range_is_a_user_error()
    {
        var error = await UserErrorOfAsync("{ title: \"x\", headcount: -1 }");
        Assert.Equal("OUT_OF_RANGE", error["code"]!.GetValue<string>());
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Writing_a_system_field_is_impossible_through_the_schema()
    {
        var response = await _client.PostAsync("mutation { createProject(input: { title: \"x\", version: 5 }) { userErrors { code } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", response.FirstErrorCode);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Invalid_json_is_a_400_with_a_clear_message()
    {
        using var response = await _client.Http.PostAsync("/graphql", RawBody.Json("{\"query\": \"{ projects { totalCount } }\""));
        var body = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, body.Status);
        Assert.Equal("BAD_REQUEST", body.FirstErrorCode);
        Assert.Contains("not valid JSON", body.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task An_unknown_key_is_a_401_and_reaches_nothing()
    {
        using var stranger = fixture.Host.Client(_client.TenantId, "crm_aaaaaaaaaaaaaaaa_" + new string('x', 43));
        var response = await stranger.PostAsync("mutation { createProject(input: { title: \"x\" }) { userErrors { code } } }");
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.FirstErrorCode);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task An_invalid_id_argument_is_a_typed_error()
    {
        var response = await _client.PostAsync("{ project(id: \"not-an-id\") { id } }");
        Assert.Equal("INVALID_ID", response.FirstErrorCode);
    }

    [Fact]
    public async Task Updating_a_record_that_does_not_exist_is_not_found()
    {
        var missing = GlobalId.Encode("project", Guid.CreateVersion7());
        var data = await _client.QueryAsync($"mutation {{ updateProject(id: \"{missing}\", input: {{ title: \"y\" }}) {{ userErrors {{ code }} }} }}");
        Assert.Equal("NOT_FOUND", data["updateProject"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }
}
