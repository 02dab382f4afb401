using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>The knowledge base: Markdown rendered to sanitized HTML, the draft → review → published workflow, search with Chinese substrings, and the public help centre.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class KnowledgeTests(ServiceHost host)
{
    private const string Move = "mutation($id: ID!, $s: String!) { moveKnowledgeArticle(id: $id, status: $s) { result { status publishedVersion publishedAt } userErrors { field code message } } }";

    private const string Search = "query($t: String!, $p: Boolean) { searchKnowledge(text: $t, publishedOnly: $p) { title status } }";

    [Fact]
    public async Task An_article_is_rendered_from_markdown_to_sanitized_html_and_published_only_after_review()
    {
        var tenant = await host.TenantAsync();
        var article = await tenant.CreateAsync("KnowledgeArticle", new { title = "打印机脱机怎么办", body = "## 步骤\n\n1. 检查**电源**\n2. 重新连接 Wi-Fi\n\n<script>alert(1)</script><a href=\"javascript:steal()\" onclick=\"steal()\">点这里</a>" }, "id status publishedVersion bodyHtml");
        var id = article.Id();

        var skipReview = await tenant.Admin.RefusedAsync(Move, new { id, s = "published" });
        var unknown = await tenant.Admin.RefusedAsync(Move, new { id, s = "live" });
        var review = await tenant.RunAsync(Move, new { id, s = "review" });
        var published = await tenant.RunAsync(Move, new { id, s = "published" });
        var withdrawn = await tenant.RunAsync(Move, new { id, s = "draft" });
        await tenant.RunAsync(Move, new { id, s = "review" });
        var republished = await tenant.RunAsync(Move, new { id, s = "published" });

        var html = article["bodyHtml"].Str();
        Assert.Contains("<li>检查<strong>电源</strong></li>", html, StringComparison.Ordinal);
        Assert.Contains(">步骤</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick", html, StringComparison.Ordinal);
        Assert.Equal(("draft", 0), (article["status"].Str(), article["publishedVersion"]!.GetValue<int>()));
        Assert.Equal(("SERVICE_INVALID_TRANSITION", "status"), (skipReview.Code, skipReview.Field));
        Assert.Equal(("INVALID_INPUT", "status"), (unknown.Code, unknown.Field));
        Assert.Equal(["review", "published", "draft", "published"], new[] { review, published, withdrawn, republished }.Select(a => a["status"].Str()));
        Assert.Equal((1, 2), (published["publishedVersion"]!.GetValue<int>(), republished["publishedVersion"]!.GetValue<int>()));
        Assert.NotNull(published["publishedAt"]);
    }

    [Fact]
    public async Task Writing_an_articles_workflow_fields_or_html_directly_is_refused_and_changes_nothing()
    {
        var tenant = await host.TenantAsync();
        const string Create = "mutation($i: CreateKnowledgeArticleInput!) { createKnowledgeArticle(input: $i) { knowledgeArticle { id } userErrors { field code message } } }";
        const string Update = "mutation($id: ID!, $i: UpdateKnowledgeArticleInput!) { updateKnowledgeArticle(id: $id, input: $i) { knowledgeArticle { id } userErrors { field code message } } }";
        var id = (await tenant.CreateAsync("KnowledgeArticle", new { title = "重置密码", body = "点击**忘记密码**。" })).Id();

        var publishedAtBirth = await tenant.Admin.RefusedAsync(Create, new { i = new { title = "直接发布", body = "x", status = "published" } });
        var html = await tenant.Admin.RefusedAsync(Update, new { id, i = new { bodyHtml = "<script>alert(1)</script>" } });
        var version = await tenant.Admin.RefusedAsync(Update, new { id, i = new { publishedVersion = 9 } });
        var noSearch = await tenant.Admin.QueryErrorAsync(Search, new { t = "  " });

        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "status"), (publishedAtBirth.Code, publishedAtBirth.Field));
        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "bodyHtml"), (html.Code, html.Field));
        Assert.Equal(("SERVICE_STATUS_BY_OPERATION", "publishedVersion"), (version.Code, version.Field));
        Assert.Equal("INVALID_INPUT", noSearch);
        var after = await tenant.QueryAsync("{ knowledgeArticles { totalCount nodes { bodyHtml publishedVersion } } }");
        Assert.Equal(1, after["knowledgeArticles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(("<p>点击<strong>忘记密码</strong>。</p>", 0), (after["knowledgeArticles"]!["nodes"]![0]!["bodyHtml"].Str().Trim(), after["knowledgeArticles"]!["nodes"]![0]!["publishedVersion"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Search_finds_chinese_substrings_in_titles_first_and_shows_drafts_only_when_asked()
    {
        var tenant = await host.TenantAsync();
        await PublishedAsync(tenant, "路由器重置步骤", "重置后如需打印，请重新添加打印机。");
        await PublishedAsync(tenant, "打印机脱机怎么办", "检查电源与网络。");
        await tenant.CreateAsync("KnowledgeArticle", new { title = "打印机卡纸处理", body = "草稿" });

        var published = (await tenant.QueryAsync(Search, new { t = "打印" }))["searchKnowledge"]!.AsArray();
        var withDrafts = (await tenant.QueryAsync(Search, new { t = "打印", p = false }))["searchKnowledge"]!.AsArray();
        var twoWords = (await tenant.QueryAsync(Search, new { t = "打印 电源" }))["searchKnowledge"]!.AsArray();

        Assert.Equal(["打印机脱机怎么办", "路由器重置步骤"], published.Select(a => a!["title"].Str()));
        Assert.Equal(["打印机卡纸处理", "打印机脱机怎么办", "路由器重置步骤"], withDrafts.Select(a => a!["title"].Str()));
        Assert.Equal(["打印机脱机怎么办"], twoWords.Select(a => a!["title"].Str()));
    }

    [Fact]
    public async Task The_public_help_centre_serves_published_articles_to_holders_of_its_link_and_never_drafts()
    {
        var tenant = await host.TenantAsync();
        await PublishedAsync(tenant, "打印机脱机怎么办", "1. 检查**电源**");
        var draft = (await tenant.CreateAsync("KnowledgeArticle", new { title = "打印机内部维修手册", body = "仅限内部" })).Id();
        var link = (await tenant.QueryAsync("{ knowledgeBaseLink }"))["knowledgeBaseLink"].Str();
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };

        var list = JsonNode.Parse(await http.GetStringAsync(link + "&q=" + Uri.EscapeDataString("打印")))!.AsArray();
        var articleId = list.Single()!["id"].Str();
        var page = await http.GetStringAsync($"/p/service/kb/{articleId}?{link.Split('?')[1]}");
        var hidden = await http.GetAsync($"/p/service/kb/{RawId(draft)}?{link.Split('?')[1]}");
        var tampered = await http.GetAsync(link[..^3] + (link.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA"));
        var anonymous = await http.GetAsync("/p/service/kb");

        Assert.Equal("打印机脱机怎么办", list.Single()!["title"].Str());
        Assert.Contains("<h1>打印机脱机怎么办</h1><ol>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>电源</strong>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
        Assert.Contains("NOT_FOUND", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var views = await tenant.QueryAsync("{ knowledgeArticles(filter: { status: { eq: \"published\" } }) { nodes { views } } }");
        Assert.Equal(1, views["knowledgeArticles"]!["nodes"]![0]!["views"]!.GetValue<int>());
    }

    private static async Task PublishedAsync(ServiceTenant tenant, string title, string body)
    {
        var id = (await tenant.CreateAsync("KnowledgeArticle", new { title, body })).Id();
        await tenant.RunAsync(Move, new { id, s = "review" });
        await tenant.RunAsync(Move, new { id, s = "published" });
    }

    /// <summary>The record id inside a global id (base64 of "entity:hex").</summary>
    private static string RawId(string globalId)
    {
        var padded = globalId.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Guid.ParseExact(Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':')[1], "N").ToString();
    }
}

/// <summary>Reading a query's refusal.</summary>
public static class QueryErrors
{
    /// <summary>The first error code of a query that must fail.</summary>
    public static async Task<string> QueryErrorAsync(this GraphQLClient client, string query, object? variables = null) =>
        (await client.PostAsync(query, variables)).ErrorCodes[0];
}
