using System.Net;
using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// The events endpoint over real HTTP: a website posts a known person's page visits and custom events
/// with their signed visitor token; they land on the person's timeline and their account's.
/// </summary>
[Collection(MarketingHostGroup.Name)]
public sealed class EventsTests(MarketingHost fixture)
{
    private const string Link = "query($l: ID, $c: ID) { visitorEventsUrl(leadId: $l, contactId: $c) }";
    private const string Timeline = "marketingInteractions { nodes { kind url eventName detail lead { name } } }";

    [Fact]
    public async Task A_known_visitor_s_page_visits_and_events_are_on_their_timeline_and_in_account360()
    {
        var tenant = await SetUpAsync();
        var account = await tenant.IdAsync("Account", new { name = "恒通精密" });
        var lead = await tenant.IdAsync("Lead", new { name = "赵磊", company = "恒通精密", email = "zhao.lei@hengtong.cn", accountId = account });
        var url = (await tenant.Admin.QueryAsync(Link, new { l = lead }))["visitorEventsUrl"].Str();
        Assert.StartsWith(fixture.Host.BaseAddress.ToString().TrimEnd('/') + "/p/marketing/event?token=", url, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await Post(http, url, ("type", "pageVisit"), ("url", "https://example.cn/pricing"), ("detail", "价格页"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(http, url, ("type", "customEvent"), ("name", "whitepaper.download"), ("url", "https://example.cn/whitepaper"))).StatusCode);

        var timeline = Nodes(await tenant.ReadAsync("lead", lead, Timeline)).OrderBy(n => n!["kind"].Str()).ToList();
        Assert.Equal(2, timeline.Count);
        Assert.Equal(("customEvent", "whitepaper.download", "https://example.cn/whitepaper"), (timeline[0]!["kind"].Str(), timeline[0]!["eventName"].Str(), timeline[0]!["url"].Str()));
        Assert.Equal(("pageVisit", "https://example.cn/pricing", "价格页"), (timeline[1]!["kind"].Str(), timeline[1]!["url"].Str(), timeline[1]!["detail"].Str()));
        var account360 = await tenant.Admin.QueryAsync("query($id: ID!) { account360(id: $id) { account { " + Timeline + " } } }", new { id = account });
        Assert.All(Nodes(account360["account360"]!["account"]!), n => Assert.Equal("赵磊", n!["lead"]!["name"].Str()));
        Assert.Equal(2, Nodes(account360["account360"]!["account"]!).Count);

        // A tampered token, or another purpose's token, is refused by the host; bad fields get a typed code. Nothing is written.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, url[..^3] + (url[^3..] == "AAA" ? "BBB" : "AAA"), ("type", "pageVisit"), ("url", "https://example.cn/"))).StatusCode);
        var campaign = await tenant.CampaignAsync("白皮书下载", "content");
        var form = (await tenant.Admin.QueryAsync("query($c: ID!) { campaignFormLink(campaignId: $c) }", new { c = campaign }))["campaignFormLink"].Str();
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, form.Replace("/form?", "/event?", StringComparison.Ordinal), ("type", "pageVisit"), ("url", "https://example.cn/"))).StatusCode);
        await RefusedAsync(http, url, "INVALID_INPUT", ("url", "https://example.cn/"));
        await RefusedAsync(http, url, "INVALID_INPUT", ("type", "purchase"), ("url", "https://example.cn/"));
        await RefusedAsync(http, url, "INVALID_INPUT", ("type", "pageVisit"));
        await RefusedAsync(http, url, "INVALID_INPUT", ("type", "pageVisit"), ("url", "javascript:alert(1)"));
        await RefusedAsync(http, url, "INVALID_INPUT", ("type", "customEvent"), ("name", "下载 白皮书"));
        await RefusedAsync(http, url, "INVALID_INPUT", ("type", "customEvent"), ("name", "ok"), ("url", "/relative"));
        Assert.Equal(2, await tenant.CountAsync("marketingInteractions"));

        // The token of a lead deleted since names no one.
        await tenant.DeleteAsync("Lead", lead);
        await RefusedAsync(http, url, "NOT_FOUND", ("type", "pageVisit"), ("url", "https://example.cn/"));
    }

    [Fact]
    public async Task A_visitor_token_takes_at_most_twenty_events_a_minute_and_the_url_needs_exactly_one_known_person()
    {
        var tenant = await SetUpAsync();
        var contact = await tenant.IdAsync("Contact", new { name = "李娜", email = "li.na@hengtong.cn" });
        var lead = await tenant.IdAsync("Lead", new { name = "赵磊", company = "恒通精密" });
        var url = (await tenant.Admin.QueryAsync(Link, new { c = contact }))["visitorEventsUrl"].Str();

        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Post(http, url, ("type", "customEvent"), ("name", "video.progress"), ("detail", $"{i * 5}%"))).StatusCode);
        }

        await RefusedAsync(http, url, "MKT_RATE_LIMITED", ("type", "customEvent"), ("name", "video.progress"));
        Assert.Equal(20, Nodes(await tenant.ReadAsync("contact", contact, "marketingInteractions { nodes { kind } }")).Count);

        Assert.Contains("INVALID_INPUT", (await tenant.Admin.PostAsync(Link, new { })).ErrorCodes);
        Assert.Contains("INVALID_INPUT", (await tenant.Admin.PostAsync(Link, new { l = lead, c = contact })).ErrorCodes);
        Assert.Contains("NOT_FOUND", (await tenant.Admin.PostAsync(Link, new { l = Guid.CreateVersion7().ToString() })).ErrorCodes);
    }

    private async Task<MarketingTenant> SetUpAsync()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.Admin.MutateAsync("mutation($v: [PluginSettingValue!]!) { setPluginSettings(plugin: \"marketing\", values: $v) { userErrors { code message } } }",
            new { v = new[] { new { name = "trackingBaseUrl", value = fixture.Host.BaseAddress.ToString() } } });
        return tenant;
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string url, params (string Name, string Value)[] fields) =>
        http.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    private static async Task RefusedAsync(HttpClient http, string url, string code, params (string Name, string Value)[] fields)
    {
        var answer = await Post(http, url, fields);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(code, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static List<JsonNode?> Nodes(JsonNode parent) => [.. parent["marketingInteractions"]!["nodes"]!.AsArray()];
}
