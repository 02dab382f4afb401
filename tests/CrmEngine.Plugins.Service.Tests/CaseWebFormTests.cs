using System.Net;
using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>The public web form that opens cases, over real HTTP with its signed form token: no API key, anonymous visitors.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CaseWebFormTests(ServiceHost host)
{
    [Fact]
    public async Task A_visitor_opens_a_web_case_through_the_signed_form_and_becomes_a_contact()
    {
        var tenant = await host.TenantAsync();
        var link = (await tenant.QueryAsync("{ caseFormLink }"))["caseFormLink"].Str();
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };

        var page = await http.GetStringAsync(link);
        var sent = await http.PostAsync(link, SatisfactionSurveyTests.Form(("name", "郑洁"), ("email", "Zheng.Jie@Example.cn"), ("subject", "会员积分没有到账"), ("description", "上周的订单积分至今未显示。"), ("website", "")));
        var thanks = await sent.Content.ReadAsStringAsync();

        Assert.Contains("name=\"website\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("<strong>CS-00001</strong>", thanks, StringComparison.Ordinal);
        var cases = await tenant.QueryAsync("{ serviceCases { nodes { number subject description channel status contact { name email } } } }");
        var created = Assert.Single(cases["serviceCases"]!["nodes"]!.AsArray())!;
        Assert.Equal(("会员积分没有到账", "上周的订单积分至今未显示。", "web", "new"), (created["subject"].Str(), created["description"].Str(), created["channel"].Str(), created["status"].Str()));
        Assert.Equal(("郑洁", "zheng.jie@example.cn"), (created["contact"]!["name"].Str(), created["contact"]!["email"].Str()));
    }

    [Fact]
    public async Task A_bot_filling_the_honeypot_a_tampered_token_and_bad_input_write_nothing()
    {
        var tenant = await host.TenantAsync();
        var link = (await tenant.QueryAsync("{ caseFormLink }"))["caseFormLink"].Str();
        var token = link.Split("token=")[1];
        var kbToken = (await tenant.QueryAsync("{ knowledgeBaseLink }"))["knowledgeBaseLink"].Str().Split("token=")[1];
        using var http = new HttpClient { BaseAddress = host.Host.BaseAddress };
        (string, string)[] good = [("email", "bot@spam.example"), ("subject", "便宜推广")];

        var bot = await http.PostAsync(link, SatisfactionSurveyTests.Form([.. good, ("website", "http://spam.example")]));
        var tampered = await http.PostAsync("/p/service/form?token=" + token[..^2] + (token.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"), SatisfactionSurveyTests.Form(good));
        var otherPurpose = await http.PostAsync("/p/service/form?token=" + kbToken, SatisfactionSurveyTests.Form(good));
        var noSubject = await http.PostAsync(link, SatisfactionSurveyTests.Form(("email", "li.ming@example.cn"), ("subject", "  ")));
        var noEmail = await http.PostAsync(link, SatisfactionSurveyTests.Form(("subject", "发票问题")));
        var badEmail = await http.PostAsync(link, SatisfactionSurveyTests.Form(("email", "不是邮箱"), ("subject", "发票问题")));
        var longSubject = await http.PostAsync(link, SatisfactionSurveyTests.Form(("email", "li.ming@example.cn"), ("subject", new string('长', 256))));

        Assert.Equal(HttpStatusCode.OK, bot.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (tampered.StatusCode, otherPurpose.StatusCode));
        var codes = new List<string>();
        foreach (var response in new[] { noSubject, noEmail, badEmail, longSubject })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            codes.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"].Str());
        }

        // An address that is none is refused by the contact's e-mail field (the engine's INVALID_VALUE), passed on.
        Assert.Equal(["INVALID_INPUT", "INVALID_INPUT", "INVALID_VALUE", "INVALID_INPUT"], codes);

        var counts = await tenant.QueryAsync("{ serviceCases { totalCount } contacts { totalCount } }");
        Assert.Equal((0, 0), (counts["serviceCases"]!["totalCount"]!.GetValue<int>(), counts["contacts"]!["totalCount"]!.GetValue<int>()));
    }
}
