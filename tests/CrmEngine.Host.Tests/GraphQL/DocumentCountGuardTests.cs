using System.Net;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.GraphQL.GuardAssertions;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// Documents whose validation would cost seconds or minutes (graphql-dotnet's merge check compares
/// selections in pairs; fragments and directives are walked repeatedly) are counted in one linear
/// pass first and refused in milliseconds with a code per count; documents at each limit are let
/// through to validation, and the host keeps serving.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class DocumentCountGuardTests(HostFixture fixture)
{

    [Fact]
    public async Task Sixty_thousand_repeated_fields_are_refused_quickly_with_TOO_MANY_FIELDS()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var refused = await RefusedQuicklyAsync(client, "{ " + Repeat("metadataVersion ", 60_000) + "}", "TOO_MANY_FIELDS");
        Assert.Contains("more than 1000 fields", Message(refused), StringComparison.Ordinal);
        await AssertStillServedAsync(client);
    }

    [Fact]
    public async Task A_document_over_a_limit_is_refused_before_it_is_parsed()
    {
        // Counted from the text: the parser, which would build 60,000 nodes, never reads it, so
        // the syntax error at its end is not what the client hears about.
        using var client = await fixture.Host.NewTenantAsync();
        await RefusedQuicklyAsync(client, "{ " + Repeat("metadataVersion ", 60_000) + "} }}} not GraphQL %%%", "TOO_MANY_FIELDS");
    }

    [Fact]
    public async Task A_long_document_with_many_errors_is_answered_without_locations_and_its_syntax_errors_still_say_where()
    {
        // graphql-dotnet reads the text from its start to place each error: a hundred errors after a
        // long stretch of blank lines cost a hundred readings of it. Long documents are parsed without positions.
        using var client = await fixture.Host.NewTenantAsync();
        var blank = new string('\n', 100_000);
        var unused = await client.PostAsync(blank + UnusedVariables, accept: GraphQLResponseJson);
        Assert.Equal(HttpStatusCode.BadRequest, unused.Status);
        Assert.Equal(100, unused.Errors!.Count);
        Assert.All(unused.Errors, e => Assert.True(e!["locations"] is null or System.Text.Json.Nodes.JsonArray { Count: 0 }, e!.ToJsonString()));

        var broken = await client.PostAsync(blank + "{ metadataVersion\n  me { tenant } %", accept: GraphQLResponseJson);
        Assert.Equal("SYNTAX_ERROR", broken.FirstErrorCode);
        Assert.Equal(100_002, broken.Errors![0]!["locations"]![0]!["line"]!.GetValue<int>());
        Assert.Equal(17, broken.Errors![0]!["locations"]![0]!["column"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_long_comment_is_dropped_before_parsing_and_errors_after_it_keep_their_places()
    {
        // A comment runs to the end of its line: without it, every token keeps its line and column,
        // and the document is short again.
        using var client = await fixture.Host.NewTenantAsync();
        var unused = await client.PostAsync("# " + new string('x', 100_000) + "\n" + UnusedVariables, accept: GraphQLResponseJson);
        Assert.Equal(100, unused.Errors!.Count);
        Assert.All(unused.Errors, e => Assert.Equal(2, e!["locations"]![0]!["line"]!.GetValue<int>()));
        Assert.Equal(7, unused.Errors[0]!["locations"]![0]!["column"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_field_selected_a_hundred_times_is_let_through_and_a_thousand_times_is_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        Assert.NotNull((await client.QueryAsync("{ " + Repeat("metadataVersion ", 100) + "}"))["metadataVersion"]);
        await RefusedQuicklyAsync(client, "{ " + Repeat("metadataVersion ", 1000) + "}", "TOO_MANY_REPEATED_SELECTIONS");
    }

    [Fact]
    public async Task Twenty_thousand_directives_are_refused_quickly_with_TOO_MANY_DIRECTIVES()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await RefusedQuicklyAsync(client, "{ metadataVersion " + Repeat("@skip(if: false) ", 20_000) + "}", "TOO_MANY_DIRECTIVES");
        await AssertStillServedAsync(client);

        var atLimit = await client.QueryAsync("{ " + Repeat("metadataVersion @include(if: true) ", 50) + "me { " + Repeat("tenant @include(if: true) ", 50) + "} }");
        Assert.NotNull(atLimit["metadataVersion"]);
    }

    [Fact]
    public async Task A_chain_of_eight_thousand_fragments_is_refused_with_TOO_MANY_FRAGMENTS_and_the_host_survives()
    {
        // Each fragment spreads the next: graphql-dotnet's validation recursed once per link and
        // overflowed the stack, which ended the whole process.
        using var client = await fixture.Host.NewTenantAsync();
        await RefusedQuicklyAsync(client, "{ ...f0 } " + string.Join(' ', Enumerable.Range(0, 8000)
            .Select(i => $"fragment f{i} on Query {{ metadataVersion {(i < 7999 ? $"...f{i + 1}" : "")} }}")), "TOO_MANY_FRAGMENTS");
        await AssertStillServedAsync(client);

        var fifty = "{ ...f0 } " + string.Join(' ', Enumerable.Range(0, 50).Select(i => $"fragment f{i} on Query {{ metadataVersion {(i < 49 ? $"...f{i + 1}" : "")} }}"));
        Assert.NotNull((await client.QueryAsync(fifty))["metadataVersion"]);
    }

    [Fact]
    public async Task Ten_thousand_variables_are_refused_quickly_with_TOO_MANY_VARIABLES()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await RefusedQuicklyAsync(client, "query(" + string.Join(' ', Enumerable.Range(0, 10_000).Select(i => $"$v{i}: Boolean")) + ") { metadataVersion }", "TOO_MANY_VARIABLES");

        var hundred = "query(" + string.Join(' ', Enumerable.Range(0, 100).Select(i => $"$v{i}: Boolean = true")) + ") { "
            + string.Concat(Enumerable.Range(0, 100).Select(i => $"metadataVersion @include(if: $v{i}) ")) + "}";
        Assert.NotNull((await client.QueryAsync(hundred))["metadataVersion"]);
    }

    [Fact]
    public async Task One_response_name_selected_hundreds_of_times_with_different_arguments_is_refused_with_TOO_MANY_REPEATED_SELECTIONS()
    {
        // Every pair of the 400 `__type` selections conflicts: validation built ~80,000 errors.
        using var client = await fixture.Host.NewTenantAsync();
        var refused = await RefusedQuicklyAsync(client, "{ " + string.Concat(Enumerable.Range(0, 400).Select(i => $"__type(name: \"T{i}\") {{ name }} ")) + "}", "TOO_MANY_REPEATED_SELECTIONS");
        Assert.Contains("more than 500 comparisons", Message(refused), StringComparison.Ordinal);

        // 32 selections of one name make 496 pairs: validation runs and names the conflict.
        var validated = await client.PostAsync("{ " + string.Concat(Enumerable.Range(0, 32).Select(i => $"__type(name: \"T{i}\") {{ name }} ")) + "}", accept: GraphQLResponseJson);
        Assert.Equal("OVERLAPPING_FIELDS_CAN_BE_MERGED", validated.FirstErrorCode);
    }

    [Fact]
    public async Task Fragments_spread_side_by_side_count_as_pairs_too()
    {
        // 40 fragments spread in one selection set: 780 pairs of fragments to compare.
        using var client = await fixture.Host.NewTenantAsync();
        var spreads = "{ " + string.Concat(Enumerable.Range(0, 40).Select(i => $"...f{i} ")) + "} "
            + string.Join(' ', Enumerable.Range(0, 40).Select(i => $"fragment f{i} on Query {{ metadataVersion }}"));
        await RefusedQuicklyAsync(client, spreads, "TOO_MANY_REPEATED_SELECTIONS");
    }

    [Fact]
    public async Task A_document_the_parser_faults_on_is_a_syntax_error_not_a_server_error()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var response = await client.PostAsync("{ __schema }{ types {\n\r\tname } }null }", accept: GraphQLResponseJson);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("SYNTAX_ERROR", response.FirstErrorCode);

        using var get = await client.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ __schema }{ types {\n\r\tname } }null }"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("SYNTAX_ERROR", (await GraphQLResponse.ReadAsync(get)).FirstErrorCode);
    }

    [Fact]
    public async Task A_type_lookup_with_an_empty_name_answers_null()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var data = await client.QueryAsync("{ __type(name: \"\") { name } }");
        Assert.Null(data["__type"]);
    }

    private static readonly string UnusedVariables = "query(" + string.Join(' ', Enumerable.Range(0, 100).Select(i => $"$v{i}: Int")) + ") { metadataVersion }";

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
}
