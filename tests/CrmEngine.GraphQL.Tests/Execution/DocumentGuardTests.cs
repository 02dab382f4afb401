using CrmEngine.Engine;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Guard;
using Microsoft.Extensions.Options;

namespace CrmEngine.GraphQL.Tests.Execution;

/// <summary>
/// The guard's counts, exactly at and one past each limit (set small here): fields as written and
/// as expanded, directives, fragments, variables, and the pairs the merge check compares.
/// </summary>
public sealed class DocumentGuardTests
{
    /// <summary>A schema with a paged list, for the cost estimate.</summary>
    private static readonly global::GraphQL.Types.ISchema Paged = global::GraphQL.Types.Schema.For("type Query { items(first: Int): [Item] } type Item { id: ID child: Item }");

    [Fact]
    public void Fields_are_counted_as_written_and_again_where_fragments_are_spread()
    {
        var limits = new QueryLimits { MaxFields = 6 };
        Assert.Null(Refusal("{ items { id name title count } }", limits));
        Assert.Equal("TOO_MANY_FIELDS", Refusal("{ items { id name title count flag tags } }", limits));

        // Five fields as written; each spread of F brings two: items, id, name, child, id, name, title = 7 once expanded.
        Assert.Equal("TOO_MANY_FIELDS", Refusal("{ items { ...F child { ...F } title } } fragment F on Item { id name }", limits));
        Assert.Null(Refusal("{ items { ...F child { id } } } fragment F on Item { id name }", limits));
    }

    [Fact]
    public void Unused_fragments_count_too_because_validation_reads_them()
    {
        var limits = new QueryLimits { MaxFields = 3 };
        Assert.Equal("TOO_MANY_FIELDS", Refusal("{ items { id } } fragment Unused on Item { id name title }", limits));
    }

    [Fact]
    public void Directives_fragments_and_variables_have_limits_of_their_own()
    {
        var limits = new QueryLimits { MaxDirectives = 2, MaxFragments = 2, MaxVariables = 2 };
        Assert.Null(Refusal("query($a: Int, $b: Int) { items @include(if: true) { id @skip(if: false) } }", limits));
        Assert.Equal("TOO_MANY_DIRECTIVES", Refusal("query @x { items @include(if: true) { id @skip(if: false) } }", limits));
        Assert.Equal("TOO_MANY_VARIABLES", Refusal("query($a: Int, $b: Int, $c: Int) { items { id } }", limits));
        Assert.Null(Refusal("{ items { ...A ...B } } fragment A on Item { id } fragment B on Item { id }", limits));
        Assert.Equal("TOO_MANY_FRAGMENTS", Refusal("{ items { ...A } } fragment A on Item { id } fragment B on Item { id } fragment C on Item { id }", limits));
    }

    [Fact]
    public void Selections_of_one_name_that_differ_count_a_pair_each_and_identical_leaves_a_fiftieth()
    {
        var limits = new QueryLimits { MaxMergePairs = 3 };
        // Three echoes with different arguments: 3 pairs, the limit.
        Assert.Null(Refusal("{ items { echo(text: \"a\") echo(text: \"b\") echo(text: \"c\") } }", limits));
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", Refusal("{ items { echo(text: \"a\") echo(text: \"b\") echo(text: \"c\") echo(text: \"d\") } }", limits));

        // The same leaf 17 times: 136 identical pairs, under 3 x 50; 18 times: 153, over.
        Assert.Null(Refusal("{ items { " + string.Concat(Enumerable.Repeat("echo(text: \"a\") ", 17)) + "} }", limits));
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", Refusal("{ items { " + string.Concat(Enumerable.Repeat("echo(text: \"a\") ", 18)) + "} }", limits));

        // Selections with sub-selections are compared in full even when written alike.
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", Refusal("{ items { child { id } child { id } child { id } child { id } } }", limits));
    }

    [Fact]
    public void Fields_from_fragments_and_inline_fragments_merge_into_the_level_they_are_spread_in()
    {
        var limits = new QueryLimits { MaxMergePairs = 2 };
        // child three times at one level (direct, inline, through F): 3 pairs.
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", Refusal("{ items { child { id } ... on Item { child { id } } ...F } } fragment F on Item { child { id } }", limits));
        // The same fragment spread twice into one level is taken once, as validation and execution do.
        Assert.Null(Refusal("{ items { child { id } ...F ...F } } fragment F on Item { child { id } }", limits));
    }

    [Fact]
    public void Fragments_spread_side_by_side_count_a_pair_each_but_a_chain_does_not()
    {
        var limits = new QueryLimits { MaxMergePairs = 1 };
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", Refusal("{ items { ...A ...B ...C } } fragment A on Item { id } fragment B on Item { name } fragment C on Item { title }", limits));
        Assert.Null(Refusal("{ items { ...A } } fragment A on Item { id ...B } fragment B on Item { name ...C } fragment C on Item { title }", limits));
    }

    [Fact]
    public void Depth_is_checked_once_per_document_and_the_cost_on_every_request()
    {
        var guard = Guard(new QueryLimits { MaxDepth = 2, MaxComplexity = 30 });
        var document = DocumentParsing.Parse("query($n: Int) { items(first: $n) { id } }").Document!;
        Assert.Null(guard.CheckShape(document).Refusal);
        Assert.Null(guard.CheckCost(Paged, document, new global::GraphQL.Inputs(new Dictionary<string, object?> { ["n"] = 10 })).Refusal);
        Assert.Equal("QUERY_TOO_COMPLEX", guard.CheckCost(Paged, document, new global::GraphQL.Inputs(new Dictionary<string, object?> { ["n"] = 100 })).Refusal!.Code);
        Assert.Equal("QUERY_TOO_DEEP", guard.CheckShape(DocumentParsing.Parse("{ items { child { id } } }").Document!).Refusal!.Code);
    }

    [Theory]
    [InlineData("-9223372036854775809")]
    [InlineData("9223372036854775808")]
    [InlineData("1e400")]
    public void A_page_size_past_64_bits_saturates_instead_of_failing(string size)
    {
        var guard = Guard(new QueryLimits());
        var document = DocumentParsing.Parse("query($n: Int) { items(first: $n) { id } }").Document!;
        var variables = new global::GraphQL.Inputs(new Dictionary<string, object?> { ["n"] = size.Contains('e', StringComparison.Ordinal) ? double.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : System.Numerics.BigInteger.Parse(size, System.Globalization.CultureInfo.InvariantCulture) });
        var verdict = guard.CheckCost(Paged, document, variables);
        Assert.True(verdict.Refusal is null || verdict.Refusal.Code == "QUERY_TOO_COMPLEX");
    }

    private static string? Refusal(string query, QueryLimits limits)
    {
        var (document, error) = DocumentParsing.Parse(query);
        Assert.Null(error);
        return Guard(limits).CheckShape(document!).Refusal?.Code;
    }

    private static DocumentGuard Guard(QueryLimits limits) => new(Options.Create(limits), Options.Create(new CrmEngineOptions()));
}
