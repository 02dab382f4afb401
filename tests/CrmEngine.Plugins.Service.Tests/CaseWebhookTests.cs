using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>The inbound webhook chat and social channels open cases through (POST /p/service/cases with the tenant's key).</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CaseWebhookTests(ServiceHost host)
{
    [Fact]
    public async Task A_chat_message_posted_to_the_webhook_opens_a_case_for_the_contact_with_that_address()
    {
        var tenant = await host.TenantAsync();
        var account = await tenant.CreateAsync("Account", new { name = "广州海鸥电子有限公司" });
        await tenant.CreateAsync("Contact", new { name = "黄磊", email = "huang.lei@haiou.cn", accountId = account.Id() });

        var known = await tenant.Admin.Http.PostAsJsonAsync("/p/service/cases", new { subject = "在线客服：订单未发货", channel = "chat", email = "Huang.Lei@haiou.cn", description = "订单 SO-1024 三天未发货" });
        var stranger = await tenant.Admin.Http.PostAsJsonAsync("/p/service/cases", new { subject = "微博私信：屏幕坏点", channel = "social", email = "fan@weibo.example", name = "微博用户" });
        var cases = await tenant.QueryAsync("{ serviceCases(orderBy: [{ number: ASC }]) { nodes { number subject channel description account { name } contact { name email } } } }");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (known.StatusCode, stranger.StatusCode));
        Assert.Equal("CS-00001", JsonNode.Parse(await known.Content.ReadAsStringAsync())!["number"].Str());
        var nodes = cases["serviceCases"]!["nodes"]!.AsArray();
        Assert.Equal(("chat", "订单 SO-1024 三天未发货", "广州海鸥电子有限公司", "黄磊"), (nodes[0]!["channel"].Str(), nodes[0]!["description"].Str(), nodes[0]!["account"]!["name"].Str(), nodes[0]!["contact"]!["name"].Str()));
        Assert.Equal(("social", "微博用户", "fan@weibo.example"), (nodes[1]!["channel"].Str(), nodes[1]!["contact"]!["name"].Str(), nodes[1]!["contact"]!["email"].Str()));
    }

    [Fact]
    public async Task Bad_webhook_posts_are_refused_with_invalid_input_and_open_nothing()
    {
        var tenant = await host.TenantAsync();
        using var anonymous = new HttpClient { BaseAddress = host.Host.BaseAddress };

        var noSubject = await tenant.Admin.Http.PostAsJsonAsync("/p/service/cases", new { channel = "chat", email = "a@b.cn" });
        var badChannel = await tenant.Admin.Http.PostAsJsonAsync("/p/service/cases", new { subject = "x", channel = "fax", email = "a@b.cn" });
        var noEmail = await tenant.Admin.Http.PostAsJsonAsync("/p/service/cases", new { subject = "x", channel = "chat" });
        var badEmail = await tenant.Admin.Http.PostAsJsonAsync("/p/service/cases", new { subject = "x", channel = "chat", email = "not an address" });
        var notJson = await tenant.Admin.Http.PostAsync("/p/service/cases", new StringContent("subject=x", Encoding.UTF8, "application/json"));
        var noKey = await anonymous.PostAsJsonAsync("/p/service/cases", new { subject = "x", channel = "chat", email = "a@b.cn" });

        Assert.All(new[] { noSubject, badChannel, noEmail, badEmail, notJson }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        var codes = new List<string>();
        foreach (var refusal in new[] { noSubject, badChannel, noEmail, badEmail, notJson })
        {
            codes.Add(JsonNode.Parse(await refusal.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"].Str());
        }

        // An address that is none is refused by the contact's e-mail field (the engine's INVALID_VALUE), passed on.
        Assert.Equal(["INVALID_INPUT", "INVALID_INPUT", "INVALID_INPUT", "INVALID_VALUE", "INVALID_INPUT"], codes);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        var counts = await tenant.QueryAsync("{ serviceCases { totalCount } contacts { totalCount } }");
        Assert.Equal((0, 0), (counts["serviceCases"]!["totalCount"]!.GetValue<int>(), counts["contacts"]!["totalCount"]!.GetValue<int>()));
    }
}
