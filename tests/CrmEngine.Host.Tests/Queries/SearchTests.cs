using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Queries;

[Collection(HostGroup.Name)]
public sealed class SearchTests(HostFixture fixture)
{
    private const string Search = """
        query($text: String!, $entities: [String!], $first: Int) {
          search(text: $text, entities: $entities, first: $first) { entity score record { id ... on Account { name } ... on Contact { name } } }
        }
        """;

    private static async Task<List<string>> FindAsync(TenantClient client, string text, string[]? entities = null) =>
        (await client.QueryAsync(Search, new { text, entities, first = 20 }))["search"]!.AsArray()
            .Select(h => h!["record"]!["name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Search_finds_chinese_by_substring_and_english_words_ranked_across_entities()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var huawei = await AccountAsync(client, "深圳华为技术有限公司", "telecom");
        await AccountAsync(client, "Acme Retail Group", "retail");
        await AccountAsync(client, "华夏银行", "finance");
        await ContactAsync(client, "Alice Acme", new { email = "alice@acme.example", accountId = huawei });
        await ContactAsync(client, "Bob", new { email = "bob@other.example" });

        Assert.Equal(["深圳华为技术有限公司"], await FindAsync(client, "华为"));
        Assert.Equal(["深圳华为技术有限公司"], await FindAsync(client, "华为技术"));
        Assert.Equal(["深圳华为技术有限公司", "华夏银行"], (await FindAsync(client, "华")).Order(StringComparer.Ordinal).Reverse().ToList());
        Assert.Equal(["Acme Retail Group", "Alice Acme"], (await FindAsync(client, "acme")).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["Alice Acme"], await FindAsync(client, "acme", ["contact"]));
        Assert.Equal(["Acme Retail Group"], await FindAsync(client, "retail ACME"));
        Assert.Empty(await FindAsync(client, "acme bob"));

        // Better matches rank first on both stores: the whole word (twice in Alice Acme, whose email
        // has it too) beats a fragment of another word ("Malice").
        await ContactAsync(client, "Alice", new { email = "a@x.example" });
        await ContactAsync(client, "Malice", new { email = "m@x.example" });
        var ranked = (await client.QueryAsync(Search, new { text = "alice", first = 5 }))["search"]!.AsArray();
        var names = ranked.Select(h => h!["record"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Alice", "Alice Acme"], names.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal("Malice", names[2]);
        Assert.True(ranked[0]!["score"]!.GetValue<double>() > ranked[2]!["score"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_index_follows_updates_deletes_restores_and_fields_becoming_searchable()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var id = await AccountAsync(client, "Old Name Ltd", "retail");
        await client.MutateAsync($"mutation {{ updateAccount(id: \"{id}\", input: {{ name: \"新名字科技\" }}) {{ userErrors {{ code }} }} }}");
        Assert.Empty(await FindAsync(client, "Old Name"));
        Assert.Equal(["新名字科技"], await FindAsync(client, "名字"));

        await client.MutateAsync($"mutation {{ deleteAccount(id: \"{id}\") {{ userErrors {{ code }} }} }}");
        Assert.Empty(await FindAsync(client, "名字"));
        await client.MutateAsync($"mutation {{ restoreAccount(id: \"{id}\") {{ userErrors {{ code }} }} }}");
        Assert.Equal(["新名字科技"], await FindAsync(client, "名字"));

        // A field that becomes searchable is indexed for the records that already exist.
        await client.MutateAsync(AddField, new { entity = "account", input = Field("city", "TEXT") });
        await client.MutateAsync($"mutation {{ updateAccount(id: \"{id}\", input: {{ city: \"Hangzhou\" }}) {{ userErrors {{ code }} }} }}");
        Assert.Empty(await FindAsync(client, "hangzhou"));
        await client.MutateAsync("mutation { updateField(entity: \"account\", field: \"city\", input: { searchable: true }) { userErrors { code message } } }");
        Assert.Equal(["新名字科技"], await FindAsync(client, "hangzhou"));
    }

    [Fact]
    public async Task Bad_searches_get_typed_errors()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        await client.MutateAsync(CreateEntity, new { input = new { name = "note", labels = Labels("Note", "备注"), fields = new[] { Field("body", "TEXT") } } });

        Assert.Equal("INVALID_INPUT", (await client.PostAsync(Search, new { text = "  " })).FirstErrorCode);
        Assert.Equal("PAGE_SIZE_EXCEEDED", (await client.PostAsync(Search, new { text = "abc", first = 1000 })).FirstErrorCode);
        Assert.Equal("UNKNOWN_ENTITY", (await client.PostAsync(Search, new { text = "abc", entities = new[] { "ghost" } })).FirstErrorCode);
        Assert.Equal("INVALID_INPUT", (await client.PostAsync(Search, new { text = "abc", entities = new[] { "note" } })).FirstErrorCode);
        Assert.Empty(await FindAsync(client, "\"%_'; DROP TABLE account; --"));
    }

    [Fact]
    public async Task Hostile_search_text_is_searched_for_literally_or_refused_with_a_typed_error()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        await AccountAsync(client, "Acme Retail Group", "retail");
        await AccountAsync(client, "深圳华为技术有限公司", "telecom");
        await AccountAsync(client, "O'Brien \"Quoted\" 100% _under_ back\\slash", "finance");
        await AccountAsync(client, "Star* (NEAR) OR Corp", "retail");

        // Quotes, FTS5 and LIKE operators, SQL and control characters are text to find, not syntax;
        // control characters separate words as spaces do.
        foreach (var (text, expected) in new (string, string[])[]
        {
            ("acme\0retail", ["Acme Retail Group"]),
            ("华为\0", ["深圳华为技术有限公司"]),
            ("\u0001acme\u007f", ["Acme Retail Group"]),
            ("100%", ["O'Brien \"Quoted\" 100% _under_ back\\slash"]),
            ("_under_ \"quoted\"", ["O'Brien \"Quoted\" 100% _under_ back\\slash"]),
            ("back\\slash o'brien", ["O'Brien \"Quoted\" 100% _under_ back\\slash"]),
            ("star* (near)", ["Star* (NEAR) OR Corp"]),
            ("OR corp", ["Star* (NEAR) OR Corp"]),
            ("acme*", []),
            ("NEAR(acme retail)", []),
            ("acme OR star", []),
            ("NOT acme", []),
            ("^acme", []),
            ("content:acme", []),
            ("\"", ["O'Brien \"Quoted\" 100% _under_ back\\slash"]),
            ("\"\"\"", []),
            ("'; DROP TABLE crm_search; --", []),
            ("%%%", []),
            ("😀😀😀", []),
            (new string('"', 200), []),
            (string.Join(' ', Enumerable.Repeat("a", 100)), ["Acme Retail Group", "O'Brien \"Quoted\" 100% _under_ back\\slash", "Star* (NEAR) OR Corp"]),
        })
        {
            var answer = await client.PostAsync(Search, new { text, first = 20 });
            Assert.True(answer.Errors is null, $"{text}: {answer.Raw}");
            Assert.Equal(expected.Order(StringComparer.Ordinal), answer.Data!["search"]!.AsArray().Select(h => h!["record"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        }

        // Text with no words is refused, and so is text that is not text at all: a lone surrogate
        // (written here as a GraphQL escape; in JSON variables the transport refuses it first).
        foreach (var text in new[] { "\0", "\0\u0001\u001f" })
        {
            var refused = await client.PostAsync(Search, new { text });
            Assert.Equal(("INVALID_INPUT", System.Net.HttpStatusCode.OK), (refused.FirstErrorCode, refused.Status));
        }

        foreach (var escaped in new[] { "\\ud800", "acme \\udc00", "\\udc00\\ud800" })
        {
            var refused = await client.PostAsync($"{{ search(text: \"{escaped}\") {{ entity }} }}");
            Assert.Equal(("INVALID_INPUT", System.Net.HttpStatusCode.OK), (refused.FirstErrorCode, refused.Status));
        }
    }
}
