using System.Net;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>A campaign's public web form, over real HTTP: a signed form token, a honeypot, and a lead that joins the campaign with its UTM source.</summary>
[Collection(MarketingHostGroup.Name)]
public sealed class CaptureTests(MarketingHost fixture)
{
    private const string Link = "query($c: ID!) { campaignFormLink(campaignId: $c) }";

    [Fact]
    public async Task A_form_submission_becomes_a_scored_lead_and_a_responding_member_with_its_utm_source()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.Admin.MutateAsync("mutation($v: [PluginSettingValue!]!) { setPluginSettings(plugin: \"marketing\", values: $v) { userErrors { code message } } }",
            new { v = new[] { new { name = "trackingBaseUrl", value = fixture.Host.BaseAddress.ToString() } } });
        var campaign = await tenant.CampaignAsync("数字工厂白皮书下载", "content");
        await tenant.UpdateAsync("Campaign", campaign, new { status = "active" });
        var url = (await tenant.Admin.QueryAsync(Link, new { c = campaign }))["campaignFormLink"].Str();
        Assert.StartsWith(fixture.Host.BaseAddress.ToString().TrimEnd('/') + "/p/marketing/form?token=", url, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        Task<HttpResponseMessage> Post(string to, params (string, string)[] fields) =>
            http.PostAsync(to, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));

        var answer = await Post(url + "&utm_campaign=spring", ("name", "赵磊"), ("email", "zhao.lei@hengtong.cn"), ("company", "江苏恒通精密"), ("utm_source", "baidu"), ("utm_medium", "cpc"), ("website", ""));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var leads = (await tenant.Admin.QueryAsync("{ leads { nodes { name source email behaviourScore campaignMemberships { nodes { memberStatus utmSource utmMedium utmCampaign campaign { name } } } } } }"))["leads"]!["nodes"]!.AsArray();
        var lead = Assert.Single(leads)!;
        Assert.Equal(("赵磊", "webForm", "zhao.lei@hengtong.cn", 30), (lead["name"].Str(), lead["source"].Str(), lead["email"].Str(), lead["behaviourScore"].Int()));
        var membership = Assert.Single(lead["campaignMemberships"]!["nodes"]!.AsArray())!;
        Assert.Equal(("responded", "baidu", "cpc", "spring", "数字工厂白皮书下载"), (membership["memberStatus"].Str(), membership["utmSource"].Str(), membership["utmMedium"].Str(), membership["utmCampaign"].Str(), membership["campaign"]!["name"].Str()));

        // The submission is on the lead's timeline, with where it came from.
        var submitted = Assert.Single((await tenant.Admin.QueryAsync("{ marketingInteractions { nodes { kind detail lead { name } campaign { name } } } }"))["marketingInteractions"]!["nodes"]!.AsArray())!;
        Assert.Equal(("formSubmitted", "utmSource=baidu utmMedium=cpc utmCampaign=spring", "赵磊", "数字工厂白皮书下载"),
            (submitted["kind"].Str(), submitted["detail"].Str(), submitted["lead"]!["name"].Str(), submitted["campaign"]!["name"].Str()));

        // A bot fills the hidden honeypot: thanked, nothing written. An altered token is refused by the host.
        Assert.Equal(HttpStatusCode.OK, (await Post(url, ("name", "Bot"), ("email", "bot@spam.example"), ("website", "http://spam.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(url[..^3] + (url[^3..] == "AAA" ? "BBB" : "AAA"), ("name", "钱多多"), ("email", "qian@example.cn"))).StatusCode);

        // Bad input: a typed code, nothing written.
        var noName = await Post(url, ("email", "nobody@example.cn"));
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("INVALID_INPUT", await noName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(url, ("name", "无联系方式"))).StatusCode);
        Assert.Equal((1, 1, 1), (await tenant.CountAsync("leads"), await tenant.CountAsync("campaignMembers"), await tenant.CountAsync("marketingInteractions")));

        // A finished campaign's form takes nothing more, and it gets no new link.
        await tenant.UpdateAsync("Campaign", campaign, new { status = "completed" });
        var closed = await Post(url, ("name", "孙浩"), ("email", "sun@jinggong.cn"));
        Assert.Equal(HttpStatusCode.BadRequest, closed.StatusCode);
        Assert.Contains("MKT_CAMPAIGN_CLOSED", await closed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("MKT_CAMPAIGN_CLOSED", (await tenant.Admin.PostAsync(Link, new { c = campaign })).ErrorCodes);
        Assert.Contains("NOT_FOUND", (await tenant.Admin.PostAsync(Link, new { c = Guid.CreateVersion7().ToString() })).ErrorCodes);
        Assert.Equal((1, 1, 1), (await tenant.CountAsync("leads"), await tenant.CountAsync("campaignMembers"), await tenant.CountAsync("marketingInteractions")));
    }
}
