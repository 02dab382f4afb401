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
        Assert.Null(guard.CheckShape(document, 0).Refusal);
        Assert.Null(guard.CheckCost(Paged, document, new global::GraphQL.Inputs(new Dictionary<string, object?> { ["n"] = 10 })).Refusal);
        Assert.Equal("QUERY_TOO_COMPLEX", guard.CheckCost(Paged, document, new global::GraphQL.Inputs(new Dictionary<string, object?> { ["n"] = 100 })).Refusal!.Code);
        Assert.Equal("QUERY_TOO_DEEP", guard.CheckShape(DocumentParsing.Parse("{ items { child { id } } }").Document!, 0).Refusal!.Code);
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

    [Fact]
    public void Counts_from_the_text_ignore_arguments_strings_comments_and_the_names_that_are_not_fields()
    {
        var limits = new QueryLimits { MaxFields = 3, MaxAliases = 1, MaxVariables = 1, MaxFragments = 1 };

        // Three fields: items, a (alias of id) and name; argument names, object values, type conditions, spread and directive names are not fields.
        Assert.Null(TextRefusal("""
            # a comment with { fields fields fields } and a $v: Int
            query Q($where: In = { name: "x", tags: [{ a: 1 }] }) @cached(ttl: 5) {
              items(filter: { name: { eq: "}{ ... on X" } }, first: 10) @include(if: true) {
                a: id
                ... on Item { name }
                ...F
              }
            }
            fragment F on Item @x(y: $where) { }
            """, limits));
        Assert.Equal("TOO_MANY_FIELDS", TextRefusal("{ items { id name title } }", limits));
        Assert.Equal("TOO_MANY_ALIASES", TextRefusal("{ a: items { b: id } }", limits));

        // $where used in a directive's argument is not a second definition; a second $name: is.
        Assert.Equal("TOO_MANY_VARIABLES", TextRefusal("query($a: Int, $b: Int) { items { id } }", limits));
        Assert.Equal("TOO_MANY_FRAGMENTS", TextRefusal("{ items { id } } fragment A on Item { id } fragment B on Item { id }", limits));

        // Block strings with escaped quotes and strings with escapes hide what they hold.
        Assert.Null(TextRefusal("{ items(note: \"\"\" { a b c d } \\\"\"\" { e } \"\"\", text: \"\\\" { f g }\") { id } }", limits));
    }

    [Fact]
    public void A_document_over_a_limit_is_refused_from_its_text_even_when_it_would_not_parse()
    {
        // 2,000 fields and then a syntax error: the count refuses it before the parser reads it.
        var text = "{ " + string.Concat(Enumerable.Repeat("id ", 2000)) + "} %%%";
        Assert.Equal("TOO_MANY_FIELDS", TextRefusal(text, new QueryLimits()));
    }

    [Fact]
    public void Introspection_turned_off_is_refused_from_the_text_under_an_alias_too()
    {
        var limits = new QueryLimits { Introspection = false };
        Assert.Equal("INTROSPECTION_DISABLED", TextRefusal("{ t: __type(name: \"X\") { name } }", limits));
        Assert.Equal("INTROSPECTION_DISABLED", TextRefusal("{ __schema { types { name } } }", limits));
        Assert.Null(TextRefusal("{ __typename items(name: \"__schema\") { id } }", limits));
    }

    [Fact]
    public void A_document_still_inside_its_JSON_string_is_counted_with_its_escapes_decoded()
    {
        var limits = new QueryLimits { MaxFields = 3 };

        // JSON-escaped as a body carries it: braces written as \u007b \u007d still open and close
        // selection sets, \n ends a comment, \" opens a string, and characters past ASCII are one each.
        Assert.Null(JsonRefusal("{ items \\u007b id name \\u007d }", limits));
        Assert.Equal("TOO_MANY_FIELDS", JsonRefusal("{ items \\u007b id name title \\u007d }", limits));
        Assert.Null(JsonRefusal("# 注释 { a b c d }\\n{ items(name: \\\"客户 { a b c }\\\") { id name } }", limits));
        Assert.Equal("TOO_MANY_FIELDS", JsonRefusal("# comment\\n{ items { id name title } }", limits));
    }

    [Fact]
    public void A_long_document_loses_its_comments_but_no_token_moves_to_another_line_or_column()
    {
        var text = "# a comment {\n{ items(text: \"# not a comment\", note: \"\"\" # nor this \"\"\") { id } # gone\n  name }";
        var kept = DocumentParsing.WithoutComments(text);
        Assert.Equal("\n{ items(text: \"# not a comment\", note: \"\"\" # nor this \"\"\") { id } \n  name }", kept);
        Assert.Equal(text.Split('\n').Select(l => l.IndexOf("name", StringComparison.Ordinal)), kept.Split('\n').Select(l => l.IndexOf("name", StringComparison.Ordinal)));
    }

    [Fact]
    public void In_a_document_too_long_to_keep_positions_every_repeated_leaf_counts_as_differing()
    {
        // Four identical leaves: 6 pairs, each a fiftieth when their text can be compared; in a long
        // document (parsed without positions) it can't, and each pair counts in full.
        var limits = new QueryLimits { MaxMergePairs = 3 };
        var leaves = "{ items { " + string.Concat(Enumerable.Repeat("echo(text: \"a\") ", 4)) + "} }";
        Assert.Null(Refusal(leaves, limits));
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", Refusal("# " + new string('x', DocumentParsing.LocatedChars) + "\n" + leaves, limits));
    }

    private static string? JsonRefusal(string escapedJsonString, QueryLimits limits)
    {
        // The bytes between the quotes of a JSON string, as JsonMarshal.GetRawUtf8Value gives them.
        var json = System.Text.Encoding.UTF8.GetBytes(escapedJsonString);
        using var parsed = System.Text.Json.JsonDocument.Parse("\"" + escapedJsonString + "\"");
        Assert.Equal(json, System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(parsed.RootElement)[1..^1].ToArray());
        return Guard(limits).CheckJsonText(json).Refusal?.Code;
    }

    private static string? TextRefusal(string query, QueryLimits limits) => Guard(limits).CheckText(query).Refusal?.Code;

    private static string? Refusal(string query, QueryLimits limits)
    {
        var guard = Guard(limits);
        var written = guard.CheckText(query);
        if (written.Refusal is not null)
        {
            return written.Refusal.Code;
        }

        var (document, error) = DocumentParsing.Parse(query);
        Assert.Null(error);
        return guard.CheckShape(document!, written.Value).Refusal?.Code;
    }

    private static DocumentGuard Guard(QueryLimits limits) => new(Options.Create(limits), Options.Create(new CrmEngineOptions()));
}
