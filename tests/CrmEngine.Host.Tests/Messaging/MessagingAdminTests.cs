using CrmEngine.Engine.Tenancy;
using static CrmEngine.Host.Tests.Messaging.MessagingQueries;

namespace CrmEngine.Host.Tests.Messaging;

/// <summary>Messaging's settings, templates, consent and log rights through GraphQL.</summary>
public sealed class MessagingAdminTests(MessagingHostFixture fixture) : IClassFixture<MessagingHostFixture>
{
    [Fact]
    public async Task The_smtp_password_is_write_only_and_channel_settings_need_admin_rights()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var saved = await admin.MutateAsync(SetChannel, new { input = new { channel = "EMAIL", host = "smtp.example.cn", port = 587, tlsMode = "START_TLS", username = "crm", secret = "s3cret-口令", fromAddress = "crm@example.cn", dailyCap = 1000, perSecond = 5 } });
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "rep", ["user"], null, null, CancellationToken.None);
        using var rep = fixture.Host.Client(admin.TenantId, key.Key);

        Assert.Equal((true, "START_TLS", 5), (saved["settings"]!["hasSecret"]!.GetValue<bool>(), S(saved["settings"]!["tlsMode"]), saved["settings"]!["perSecond"]!.GetValue<int>()));
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await admin.PostAsync("{ messageChannels { secret } }")).FirstErrorCode);
        Assert.DoesNotContain("s3cret", (await admin.PostAsync("{ messageChannels { channel host port tlsMode username hasSecret fromAddress url bodyTemplate dailyCap perSecond updatedAt } }")).Raw);
        Assert.Equal("FORBIDDEN", (await rep.PostAsync("{ messageChannels { host } }")).FirstErrorCode);
        Assert.Equal("FORBIDDEN", (await rep.PostAsync("{ messageTemplates { name } }")).FirstErrorCode);
        var change = (await rep.QueryAsync(SetChannel, new { input = new { channel = "EMAIL", host = "evil.example.com" } }))["setMessageChannel"]!;
        Assert.Equal("FORBIDDEN", S(change["userErrors"]![0]!["code"]));
        Assert.Equal("smtp.example.cn", S((await admin.QueryAsync("{ messageChannels { host } }"))["messageChannels"]![0]!["host"]));
    }

    [Fact]
    public async Task Wrong_channel_settings_are_refused_with_every_error_and_nothing_is_saved()
    {
        using var admin = await fixture.Host.NewTenantAsync();

        var refused = (await admin.QueryAsync(SetChannel, new { input = new { channel = "EMAIL", port = 70000, fromAddress = "not an address", bodyTemplate = "{% if %}" } }))["setMessageChannel"]!;

        Assert.Equal([("host", "REQUIRED"), ("port", "OUT_OF_RANGE"), ("fromAddress", "INVALID_VALUE"), ("bodyTemplate", "TEMPLATE_INVALID")],
            refused["userErrors"]!.AsArray().Select(e => (S(e!["field"]), S(e["code"]))));
        Assert.Empty((await admin.QueryAsync("{ messageChannels { channel } }"))["messageChannels"]!.AsArray());
    }

    [Fact]
    public async Task A_template_that_is_not_valid_liquid_is_refused_when_saved_and_nothing_is_saved()
    {
        using var admin = await fixture.Host.NewTenantAsync();

        var refused = (await admin.QueryAsync(SaveTemplate, new { input = new { name = "broken", language = "en", subject = "Hi {{ record.name", body = "<p>{% for x in %}</p>" } }))["saveMessageTemplate"]!;
        var language = (await admin.QueryAsync(SaveTemplate, new { input = new { name = "broken", language = "fr", body = "ok" } }))["saveMessageTemplate"]!;

        Assert.Equal([("subject", "TEMPLATE_INVALID"), ("body", "TEMPLATE_INVALID")], refused["userErrors"]!.AsArray().Select(e => (S(e!["field"]), S(e["code"]))));
        Assert.Equal("INVALID_VALUE", S(language["userErrors"]![0]!["code"]));
        Assert.Empty((await admin.QueryAsync("{ messageTemplates { name } }"))["messageTemplates"]!.AsArray());
    }

    [Fact]
    public async Task A_recipient_who_opted_out_of_the_purpose_is_refused_and_nothing_is_queued()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        var noEmail = await ContactAsync(client, "Wu", "wu@example.cn", doNotEmail: true);
        var noMarketing = await ContactAsync(client, "Zheng", "zheng@example.cn", optOut: "marketing, surveys", account: "西部客户");
        var noAddress = S((await client.MutateAsync("mutation { createContact(input: { name: \"No address\" }) { contact { id } userErrors { code } } }"))["contact"]!["id"]);

        var refusals = new[]
        {
            (noEmail, "marketing"), (noEmail, "service"), (noMarketing, "marketing"), (noMarketing, "surveys"),
        }.Select(async r => (await client.QueryAsync(Send, new { input = new { recordId = r.Item1, channel = "EMAIL", purpose = r.Item2, subject = "S", body = "B" } }))["sendMessage"]!);
        var answers = await Task.WhenAll(refusals);
        var missing = (await client.QueryAsync(Send, new { input = new { recordId = noAddress, channel = "EMAIL", purpose = "service", subject = "S", body = "B" } }))["sendMessage"]!;
        var transactional = await SendAsync(client, new { recordId = noEmail, channel = "EMAIL", purpose = "transactional", subject = "Receipt", body = "<p>Paid</p>" });
        var service = await SendAsync(client, new { recordId = noMarketing, channel = "EMAIL", purpose = "service", subject = "Case", body = "<p>Solved</p>" });

        Assert.All(answers, a => Assert.Equal(("RECIPIENT_OPTED_OUT", true), (S(a["userErrors"]![0]!["code"]), a["message"] is null)));
        Assert.Equal("NO_RECIPIENT_ADDRESS", S(missing["userErrors"]![0]!["code"]));
        Assert.Equal(("transactional", "service"), (S(transactional["purpose"]), S(service["purpose"])));
        Assert.Equal(["transactional"], (await client.QueryAsync(Messages, new { recordId = noEmail }))["messages"]!.AsArray().Select(m => S(m!["purpose"])));
        Assert.Equal(["service"], (await client.QueryAsync(Messages, new { recordId = noMarketing }))["messages"]!.AsArray().Select(m => S(m!["purpose"])));
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_sees_only_the_messages_about_records_they_can_read()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(admin);
        var contact = await ContactAsync(admin, "Feng", "feng@example.cn");
        var account = S((await admin.MutateAsync("mutation { createAccount(input: { name: \"可见客户\" }) { account { id } userErrors { code } } }"))["account"]!["id"]);
        await SendAsync(admin, new { recordId = contact, channel = "EMAIL", purpose = "service", subject = "Hidden", body = "<p>x</p>" });
        await SendAsync(admin, new { recordId = account, channel = "EMAIL", purpose = "service", subject = "Visible", body = "<p>y</p>", to = "buyer@example.cn" });
        await admin.MutateAsync("mutation($input: RoleInput!) { saveRole(input: $input) { role { name } userErrors { code message } } }",
            new { input = new { name = "accountsOnly", entities = new object[] { new { entity = "account", read = "ALL" } } } });
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "viewer", ["accountsOnly"], null, null, CancellationToken.None);
        using var viewer = fixture.Host.Client(admin.TenantId, key.Key);

        var all = (await viewer.QueryAsync("{ messages { subject } }"))["messages"]!.AsArray();
        var timeline = (await viewer.QueryAsync(Messages, new { recordId = contact }))["messages"]!.AsArray();
        var sendHidden = (await viewer.QueryAsync(Send, new { input = new { recordId = contact, channel = "EMAIL", purpose = "service", subject = "S", body = "B" } }))["sendMessage"]!;

        Assert.Equal(["Visible"], all.Select(m => S(m!["subject"])));
        Assert.Empty(timeline);
        Assert.Equal("NOT_FOUND", S(sendHidden["userErrors"]![0]!["code"]));
        Assert.Equal(["Visible", "Hidden"], (await admin.QueryAsync("{ messages { subject } }"))["messages"]!.AsArray().Select(m => S(m!["subject"])));
    }
}
