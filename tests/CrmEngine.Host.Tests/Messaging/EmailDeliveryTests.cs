using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing.Messaging;
using CrmEngine.Engine.Records;
using static CrmEngine.Host.Tests.Messaging.MessagingQueries;

namespace CrmEngine.Host.Tests.Messaging;

/// <summary>A host that retries messages fast (three attempts a message, the sweep every 100 ms) and lets the HTTP channels reach loopback, where the tests' gateways listen.</summary>
public sealed class MessagingHostFixture() : SharedHostFixture(Settings)
{
    public static Dictionary<string, string?> Settings => new()
    {
        ["Crm:Messaging:FirstRetryDelay"] = "00:00:00.050",
        ["Crm:Messaging:MaxRetryDelay"] = "00:00:00.200",
        ["Crm:Messaging:MaxAttempts"] = "3",
        ["Crm:Messaging:PollInterval"] = "00:00:00.100",
        ["Crm:Webhooks:AllowLoopback"] = "true",
    };
}

/// <summary>E-mail over SMTP to a real server on loopback: templates, languages, retries, bounces.</summary>
public sealed class EmailDeliveryTests(MessagingHostFixture fixture) : IClassFixture<MessagingHostFixture>
{
    [Fact]
    public async Task A_templated_email_is_sent_once_in_the_recipients_language_with_merge_fields_sanitized_html_and_a_text_alternative()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await UseSmtpAsync(client, smtp.Port);
        await client.MutateAsync(SaveTemplate, new { input = new { name = "welcome", language = "en", subject = "Welcome, {{ record.name }}", body = "<p>Hello {{ record.name }}</p>" } });
        await client.MutateAsync(SaveTemplate, new { input = new { name = "welcome", language = "zh-CN", subject = "欢迎 {{ record.name }}（{{ record.account.name }}）", body = "<h1>您好，{{ record.name }}</h1><p>来自 <b>{{ record.account.name }}</b><script>alert(1)</script></p><a href=\"https://example.cn/x\">链接</a>" } });
        var contact = await ContactAsync(client, "王<小明>", "wang@example.cn", language: "zh-CN");

        var queued = await SendAsync(client, new { recordId = contact, channel = "EMAIL", purpose = "service", template = "welcome" });
        var sent = (await MessagesAsync(client, contact, m => m.Count == 1 && S(m[0]!["status"]) == "SENT")).Single()!;
        var mail = (await smtp.WaitForAsync(1)).Single();

        Assert.Equal(("QUEUED", "zh-CN", "wang@example.cn"), (S(queued["status"]), S(queued["language"]), S(queued["recipient"])));
        Assert.Equal("欢迎 王<小明>（华东客户）", mail.Subject);
        Assert.Equal("wang@example.cn", mail.To.Mailboxes.Single().Address);
        Assert.Equal("crm@example.cn", mail.From.Mailboxes.Single().Address);
        Assert.Contains("您好，王&lt;小明&gt;", mail.HtmlBody);
        Assert.Contains("<b>华东客户</b>", mail.HtmlBody);
        Assert.DoesNotContain("script", mail.HtmlBody);
        Assert.Equal("您好，王<小明>\n\n来自 华东客户\n链接 (https://example.cn/x)", mail.TextBody!.Trim());
        Assert.True(GlobalId.TryRead(S(sent["id"]), "Message", out var id));
        Assert.Equal((id.ToString(), id.ToString("N") + "@crmengine"), (mail.Headers["X-Crm-Message"], mail.MessageId));
        Assert.Equal((1, "queued as Q1"), (sent["attempts"]!.GetValue<int>(), S(sent["providerId"])));
        await Task.Delay(300);
        Assert.Single(smtp.Received);
    }

    [Fact]
    public async Task A_recipient_without_a_variant_in_their_language_gets_the_english_one_and_a_literal_message_goes_as_written()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await UseSmtpAsync(client, smtp.Port);
        await client.MutateAsync(SaveTemplate, new { input = new { name = "note", language = "en", subject = "For {{ record.name }}", body = "<p>Dear {{ record.name }}</p>" } });
        var contact = await ContactAsync(client, "Li", "li@example.cn", language: "zh-CN");

        await SendAsync(client, new { recordId = contact, channel = "EMAIL", purpose = "service", template = "note" });
        await SendAsync(client, new { recordId = contact, channel = "EMAIL", purpose = "service", subject = "Literal {{ record.name }}", body = "<p>As <i>written</i></p>", to = "other@example.cn" });
        var mails = await smtp.WaitForAsync(2);

        var templated = mails.Single(m => m.Subject == "For Li");
        var literal = mails.Single(m => m.Subject == "Literal {{ record.name }}");
        Assert.Equal("Dear Li", templated.TextBody!.Trim());
        Assert.Equal(("other@example.cn", "As written"), (literal.To.Mailboxes.Single().Address, literal.TextBody!.Trim()));
    }

    [Fact]
    public async Task A_server_failing_transiently_gets_the_message_again_until_it_accepts_it_once()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        smtp.AnswerWith(451, 421);
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await UseSmtpAsync(client, smtp.Port);
        var contact = await ContactAsync(client, "Zhao", "zhao@example.cn");

        await SendAsync(client, new { recordId = contact, channel = "EMAIL", purpose = "service", subject = "Retry", body = "<p>again</p>" });
        var sent = (await MessagesAsync(client, contact, m => S(m[0]!["status"]) == "SENT")).Single()!;

        Assert.Equal(3, sent["attempts"]!.GetValue<int>());
        Assert.Single(await smtp.WaitForAsync(1));
        Assert.Null(sent["nextAttemptAt"]);
    }

    [Fact]
    public async Task A_server_that_refuses_bounces_the_message_at_once_and_one_that_keeps_failing_leaves_it_failed()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        smtp.AnswerWith(550);
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await UseSmtpAsync(client, smtp.Port);
        var refused = await ContactAsync(client, "Qian", "qian@example.cn");

        await SendAsync(client, new { recordId = refused, channel = "EMAIL", purpose = "service", subject = "No", body = "<p>no</p>" });
        var bounced = (await MessagesAsync(client, refused, m => S(m[0]!["status"]) == "BOUNCED")).Single()!;
        smtp.AlwaysAnswer = 452;
        var busy = await ContactAsync(client, "Sun", "sun@example.cn", account: "华南客户");
        await SendAsync(client, new { recordId = busy, channel = "EMAIL", purpose = "service", subject = "Busy", body = "<p>busy</p>" });
        var failed = (await MessagesAsync(client, busy, m => S(m[0]!["status"]) == "FAILED")).Single()!;

        Assert.Equal(1, bounced["attempts"]!.GetValue<int>());
        Assert.StartsWith("SMTP 550", S(bounced["lastError"]));
        Assert.Equal(3, failed["attempts"]!.GetValue<int>());
        Assert.StartsWith("SMTP 452", S(failed["lastError"]));
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_failure_tried_again_until_the_last_attempt()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        var closed = LoopbackSmtpServer.Start();
        var closedPort = closed.Port;
        await closed.DisposeAsync();
        await UseSmtpAsync(client, closedPort);
        var contact = await ContactAsync(client, "Zhou", "zhou@example.cn");

        await SendAsync(client, new { recordId = contact, channel = "EMAIL", purpose = "service", subject = "Later", body = "<p>later</p>" });
        var failed = (await MessagesAsync(client, contact, m => S(m[0]!["status"]) == "FAILED")).Single()!;

        Assert.Equal(3, failed["attempts"]!.GetValue<int>());
        Assert.StartsWith("The SMTP connection failed", S(failed["lastError"]));
    }
}
