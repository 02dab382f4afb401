using CrmEngine.GraphQL.Execution;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Tests.Execution;

/// <summary>
/// A document validated before is not validated again, but each request's variables are coerced and
/// the arguments and directives that use them are read. The engine does that with what it worked out
/// once per operation; the outcome must be graphql-dotnet's own: the same values, the same errors.
/// </summary>
public sealed class CachedValidationTests
{
    private static readonly GraphQLSerializer Serializer = TestJson.Serializer;

    private static readonly global::GraphQL.Types.Schema Schema = TestSchema.Build();


    private static async Task<string> RunAsync(IDocumentValidator validator, GraphQLDocument document, string query, string? variables)
    {
        var result = await TestSchema.Executer(validator, new SerialExecutionStrategy()).ExecuteAsync(new ExecutionOptions
        {
            Schema = Schema,
            Query = query,
            Document = document,
            ValidationRules = [],
            Variables = variables is null ? null : Serializer.Deserialize<Inputs>(variables),
        });
        return Serializer.Serialize(result);
    }

    public static TheoryData<string, string?> Requests() => new()
    {
        { "query($count: Int!) { echo(count: $count) }", """{"count": 3}""" },
        { "query($count: Int = 7) { echo(count: $count) }", null },
        { "query($count: Int = 7) { echo(count: $count) }", """{"count": 4}""" },
        { "query($count: Int!) { echo(count: $count) }", null },
        { "query($count: Int!) { echo(count: $count) }", """{"count": "many"}""" },
        { "query($r: Range, $n: [Int]) { echo(count: 1, range: $r, numbers: $n, text: null) }", """{"r": {"from": 1, "labels": ["甲", "乙"]}, "n": [1, null, 3]}""" },
        { "query($r: Range) { echo(count: 1, range: $r) }", """{"r": {"to": 2}}""" },
        { "query($r: Range) { echo(count: 1, range: $r) }", """{"r": {"from": 1, "surplus": true}}""" },
        { "query($flag: Boolean!, $c: Int!) { a: echo(count: $c) @include(if: $flag) b: echo(count: 2) @skip(if: $flag) ...f items { ... on Item @include(if: $flag) { id } } } fragment f on Query { c: echo(count: $c, numbers: [$c, 5]) }", """{"flag": true, "c": 9}""" },
        { "query($flag: Boolean!, $c: Int!) { a: echo(count: $c) @include(if: $flag) b: echo(count: 2) @skip(if: $flag) ...f items { ... on Item @include(if: $flag) { id } } } fragment f on Query { c: echo(count: $c, numbers: [$c, 5]) }", """{"flag": false, "c": 9}""" },
        { "{ items { id echo(text: \"x\") kids { echo(text: \"y\") } named { ... on Item { echo(text: \"z\") } } } }", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Requests_for_a_validated_document_come_out_as_with_graphql_dotnets_validator(string query, string? variables)
    {
        var document = GraphQLParser.Parser.Parse(query);
        var standard = await RunAsync(new DocumentValidator(), document, query, variables);
        var cached = new CachedDocumentValidator(new DocumentValidator());
        Assert.Equal(standard, await RunAsync(cached, document, query, variables));
        Assert.Equal(standard, await RunAsync(cached, document, query, variables));
    }
}
