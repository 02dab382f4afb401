using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Records;
using CrmEngine.Host.Tests.Messaging;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing.Messaging;
using MimeKit;
using static CrmEngine.Host.Tests.Documents.Quotes;

namespace CrmEngine.Host.Tests.Documents;

/// <summary>A generated document sent as an e-mail attachment (sendMessage's attachments), over real HTTP to a loopback SMTP server.</summary>
[Collection(HostGroup.Name)]
public sealed class DocumentMailTests(HostFixture fixture)
{
    [Fact]
    public async Task A_generated_quote_pdf_arrives_attached_to_the_email_byte_for_byte_under_its_name()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var client = await TenantAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(client, smtp.Port);
        await SavePdfTemplateAsync(client, "quote", "zh-CN", Layout("报价单", "客户", "产品", "数量", "金额", "合计"));
        var quote = await QuoteAsync(client, "北京华联科技有限公司", "zh-CN", "CNY", 1234.5m, ("服务器", 2, 1000m), ("安装服务", 1, 234.5m));
        var file = (await client.MutateAsync(Generate, new { input = new { template = "quote", recordId = quote } }))["file"]!;
        var pdf = await DownloadAsync(fixture.Host, S(file["url"]));

        await MessagingQueries.SendAsync(client, new { recordId = quote, channel = "EMAIL", purpose = "transactional", subject = "报价单 Q-0042", body = "<p>请查收报价单。</p>", to = "buyer@example.cn", attachments = new[] { S(file["id"]) } });
        var mail = (await smtp.WaitForAsync(1)).Single();

        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal(("quote-Q-0042.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));
        using var received = new MemoryStream();
        await attachment.Content!.DecodeToAsync(received);
        Assert.Equal(pdf, received.ToArray());
        Assert.Equal("请查收报价单。", mail.TextBody!.Trim());
    }

    [Fact]
    public async Task Attachments_on_an_sms_or_a_file_the_caller_cannot_see_are_refused_and_nothing_is_queued()
    {
        using var client = await TenantAsync(fixture.Host);
        await SavePdfTemplateAsync(client, "quote", "en", Layout("Quote", "Customer", "Product", "Qty", "Amount", "Total"));
        var quote = await QuoteAsync(client, "Acme Ltd", "en", "USD", 10m, ("Server", 1, 10m));
        var file = S((await client.MutateAsync(Generate, new { input = new { template = "quote", recordId = quote } }))["file"]!["id"]);

        var sms = await RefusedAsync(client, new { recordId = quote, channel = "SMS", purpose = "transactional", body = "Your quote", to = "+8613800000000", attachments = new[] { file } });
        var webhook = await RefusedAsync(client, new { recordId = quote, channel = "WEBHOOK", purpose = "transactional", body = "Your quote", attachments = new[] { file } });
        var madeUp = await RefusedAsync(client, new { recordId = quote, channel = "EMAIL", purpose = "transactional", subject = "Quote", body = "<p>Quote</p>", to = "a@example.com", attachments = new[] { GlobalId.Encode(AttachmentKind.FileType, Guid.CreateVersion7()) } });
        var notAFile = await RefusedAsync(client, new { recordId = quote, channel = "EMAIL", purpose = "transactional", subject = "Quote", body = "<p>Quote</p>", to = "a@example.com", attachments = new[] { quote } });

        Assert.Equal(("attachments", "ATTACHMENTS_NOT_SUPPORTED"), sms);
        Assert.Equal(("attachments", "ATTACHMENTS_NOT_SUPPORTED"), webhook);
        Assert.Equal(("attachments", "NOT_FOUND"), madeUp);
        Assert.Equal(("attachments", "INVALID_ID"), notAFile);
        Assert.Empty((await client.QueryAsync(MessagingQueries.Messages, new { recordId = quote }))["messages"]!.AsArray());
    }

    private static async Task<(string Field, string Code)> RefusedAsync(TenantClient client, object input)
    {
        var answer = (await client.QueryAsync(MessagingQueries.Send, new { input }))["sendMessage"]!;
        Assert.Null(answer["message"]);
        var error = answer["userErrors"]![0]!;
        return (S(error["field"]), S(error["code"]));
    }
}
