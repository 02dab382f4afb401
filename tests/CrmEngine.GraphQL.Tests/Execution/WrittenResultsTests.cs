using System.Text.Json;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Writing;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;

namespace CrmEngine.GraphQL.Tests.Execution;

/// <summary>
/// The engine's execution strategy writes record subtrees straight to JSON and resolves
/// source-only fields without a field context. Whatever the query, the response must be the one
/// graphql-dotnet's own serial strategy gives, byte for byte: data, errors with their paths and
/// codes, and nulls propagated to the nearest nullable field.
/// </summary>
public sealed class WrittenResultsTests
{
    private static readonly JsonSerializerOptions Json = TestJson.Options;
    private static readonly GraphQLSerializer Serializer = TestJson.Serializer;

    private static readonly global::GraphQL.Types.Schema Schema = TestSchema.Build();

    private static async Task<string> RunAsync(IExecutionStrategy strategy, string query, object? variables)
    {
        var result = await TestSchema.Executer(new DocumentValidator(), strategy).ExecuteAsync(new ExecutionOptions
        {
            Schema = Schema,
            Query = query,
            Variables = variables is null ? null : Serializer.Deserialize<Inputs>(JsonSerializer.Serialize(variables)),
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = c =>
            {
                if (c.OriginalException is Engine.Errors.CrmException crm)
                {
                    c.Exception = Resolve.ToExecutionError(crm);
                }

                return Task.CompletedTask;
            },
        });
        return Serializer.Serialize(result);
    }

    /// <summary>Runs the query with both strategies (twice with ours: compiled writers are cached) and returns our response.</summary>
    private static async Task<string> SameAsStandardAsync(string query, object? variables = null)
    {
        var standard = await RunAsync(new SerialExecutionStrategy(), query, variables);
        var ours = new CrmExecutionStrategy(Json);
        Assert.Equal(standard, await RunAsync(ours, query, variables));
        Assert.Equal(standard, await RunAsync(ours, query, variables));
        return standard;
    }

    [Fact]
    public async Task Records_with_scalars_objects_lists_and_chinese_text_come_out_as_standard_execution_writes_them()
    {
        var json = await SameAsStandardAsync("{ items { id name tags price { amount currency } when flag count strict child { id name } kids { id tags } } }");
        Assert.Contains("深圳华为技术有限公司", json, StringComparison.Ordinal);
        Assert.Contains("121429.80", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aliases_typenames_and_fragments_are_honoured()
    {
        await SameAsStandardAsync("""
            query { items { key: id __typename ...parts ... on Item { price { __typename value: amount } } kids { ...parts } } }
            fragment parts on Item { label: name tags }
            """);
    }

    [Fact]
    public async Task Interfaces_resolve_each_value_to_its_own_type()
    {
        await SameAsStandardAsync("{ items { id named { __typename title ... on Item { id } ... on Other { label } } } }");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Skip_and_include_directives_are_applied(bool flag)
    {
        await SameAsStandardAsync("query($flag: Boolean!) { items { id name @skip(if: $flag) price @include(if: $flag) { amount } kids { id @include(if: $flag) } } }", new { flag });
    }

    [Fact]
    public async Task A_field_selected_twice_has_its_selections_merged()
    {
        await SameAsStandardAsync("{ items { id price { amount } price { currency } kids { id } kids { name } } }");
    }

    [Fact]
    public async Task A_failing_field_inside_a_record_reports_its_error_at_its_path_and_reads_as_null()
    {
        var json = await SameAsStandardAsync("{ items(kind: \"broken\") { id broken kids { id } } }");
        Assert.Contains("\"FORBIDDEN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"path\":[\"items\",1,\"broken\"]", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strict", "{ items(kind: \"strict\") { id strict } }")]
    [InlineData("nested-strict", "{ items(kind: \"nested-strict\") { id kids { id strict } } }")]
    [InlineData("price", "{ items(kind: \"price\") { id price { amount currency } } }")]
    [InlineData("child", "{ first { id child { id strict kids { strict } } } }")]
    public async Task A_null_where_the_schema_forbids_one_is_an_error_and_nulls_the_nearest_nullable_parent(string kind, string query)
    {
        var json = await SameAsStandardAsync(query);
        Assert.Equal(kind != "child", json.Contains("\"errors\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fields_that_need_their_arguments_run_as_usual_inside_a_record()
    {
        await SameAsStandardAsync("{ items { id echo(text: \"回声\") child { echo(text: \"x\") } } }");
    }

    [Fact]
    public async Task Record_subtrees_are_written_in_one_go_rather_than_executed_field_by_field()
    {
        var result = await TestSchema.Executer(new DocumentValidator(), new CrmExecutionStrategy(Json)).ExecuteAsync(new ExecutionOptions { Schema = Schema, Query = "{ items { id price { amount currency } kids { id tags } } }" });

        var items = (ArrayExecutionNode)((RootExecutionNode)result.Data!).SubFields![0];
        var first = (ObjectExecutionNode)items.Items![0];
        Assert.IsType<JsonFragment>(first.SubFields![1].ToValue());
        Assert.Equal("{\"amount\":121429.80,\"currency\":\"CNY\"}", first.SubFields[1].ToValue()!.ToString());
        Assert.IsType<JsonFragment>(first.SubFields[2].ToValue());
    }
}
