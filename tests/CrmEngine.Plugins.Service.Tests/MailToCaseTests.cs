using System.Text;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MimeKit;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>E-mail-to-case: real mail over SMTP (MailKit) into the host's listener, handed to the service module by the engine's inbound mail.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class MailToCaseTests(ServiceHost host)
{
    private const string Cases = "{ serviceCases(orderBy: [{ number: ASC }]) { totalCount nodes { id number subject status channel reopenCount lastCustomerReplyAt followUpOf { number } account { name } contact { name email } messages { nodes { direction messageId fromAddress subject body attachments { name size } } } } } }";

    [Fact]
    public async Task A_mail_from_an_unknown_sender_opens_a_case_keeps_its_attachment_and_makes_the_sender_a_contact()
    {
        var (tenant, domain) = await MailTenantAsync();
        var mail = Mail("王小明", "wang@customer.cn", "support@" + domain, "路由器频繁掉线", "first-1@customer.cn");
        var body = new BodyBuilder { TextBody = "每天下午都会掉线两三次。" };
        body.Attachments.Add("log.txt", Encoding.UTF8.GetBytes("17:02 link down"), new ContentType("text", "plain"));
        mail.Body = body.ToMessageBody();

        await host.SendAsync(mail);
        var cases = await CasesAsync(tenant, c => c.Count == 1);

        var created = cases[0]!;
        Assert.Equal(("CS-00001", "路由器频繁掉线", "new", "email"), (created["number"].Str(), created["subject"].Str(), created["status"].Str(), created["channel"].Str()));
        Assert.Equal(("王小明", "wang@customer.cn"), (created["contact"]!["name"].Str(), created["contact"]!["email"].Str()));
        var message = Assert.Single(created["messages"]!["nodes"]!.AsArray())!;
        Assert.Equal(("inbound", "first-1@customer.cn", "wang@customer.cn", "每天下午都会掉线两三次。"), (message["direction"].Str(), message["messageId"].Str(), message["fromAddress"].Str(), message["body"].Str()));
        Assert.Equal("log.txt:15", string.Join(",", message["attachments"]!.AsArray().Select(a => $"{a!["name"].Str()}:{a["size"]!.GetValue<long>()}")));
        Assert.Equal(1, (await tenant.QueryAsync("{ contacts { totalCount } }"))["contacts"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_known_contacts_mail_is_filed_under_their_account_and_replies_thread_by_in_reply_to_and_by_case_number()
    {
        var (tenant, domain) = await MailTenantAsync();
        var account = await tenant.CreateAsync("Account", new { name = "杭州云帆贸易有限公司" });
        await tenant.CreateAsync("Contact", new { name = "陈静", email = "chen.jing@yunfan.cn", accountId = account.Id() });

        await host.SendAsync(Mail("Chen Jing", "Chen.Jing@yunfan.cn", "help@" + domain, "发票开错了", "q-1@yunfan.cn"));
        var id = (await CasesAsync(tenant, c => c.Count == 1))[0]!.Id();
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "open" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "pendingCustomer" });

        var byHeader = Mail("Chen Jing", "chen.jing@yunfan.cn", "help@" + domain, "Re: 发票开错了", "q-2@yunfan.cn");
        byHeader.InReplyTo = "q-1@yunfan.cn";
        await host.SendAsync(byHeader);
        await CasesAsync(tenant, c => c[0]!["messages"]!["nodes"]!.AsArray().Count == 2);
        await host.SendAsync(Mail("Chen Jing", "chen.jing@yunfan.cn", "help@" + domain, "回复：[CS-00001] 补充税号", "q-3@yunfan.cn"));
        var cases = await CasesAsync(tenant, c => c[0]!["messages"]!["nodes"]!.AsArray().Count == 3);

        var threaded = Assert.Single(cases)!;
        Assert.Equal(("杭州云帆贸易有限公司", "陈静", "open"), (threaded["account"]!["name"].Str(), threaded["contact"]!["name"].Str(), threaded["status"].Str()));
        Assert.Equal(["q-1@yunfan.cn", "q-2@yunfan.cn", "q-3@yunfan.cn"], threaded["messages"]!["nodes"]!.AsArray().Select(m => m!["messageId"].Str()).Order());
        Assert.NotNull(threaded["lastCustomerReplyAt"]);
        Assert.Equal(1, (await tenant.QueryAsync("{ contacts { totalCount } }"))["contacts"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_reply_within_seven_days_of_resolution_reopens_the_case_and_a_later_one_opens_a_follow_up_case()
    {
        using var clock = host.Clock.At(new DateTime(2026, 11, 2, 2, 0, 0, DateTimeKind.Utc));
        var (tenant, domain) = await MailTenantAsync();
        await host.SendAsync(Mail("Zhao", "zhao@client.cn", "care@" + domain, "无法打印", "p-1@client.cn"));
        var id = (await CasesAsync(tenant, c => c.Count == 1))[0]!.Id();
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "open" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "resolved", r = "已重装驱动。" });

        host.Clock.Set(new DateTime(2026, 11, 8, 2, 0, 0, DateTimeKind.Utc));
        await host.SendAsync(Mail("Zhao", "zhao@client.cn", "care@" + domain, "Re: [CS-00001] 无法打印", "p-2@client.cn"));
        var reopened = (await CasesAsync(tenant, c => c[0]!["reopenCount"]!.GetValue<int>() == 1))[0]!;
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id, s = "resolved", r = "已更换打印机。" });

        host.Clock.Set(new DateTime(2026, 11, 15, 2, 0, 1, DateTimeKind.Utc));
        await host.SendAsync(Mail("Zhao", "zhao@client.cn", "care@" + domain, "Re: [CS-00001] 无法打印", "p-3@client.cn"));
        var cases = await CasesAsync(tenant, c => c.Count == 2);

        Assert.Equal("open", reopened["status"].Str());
        // The late reply is not logged on the resolved case: it stays resolved with its two messages.
        Assert.Equal(("resolved", 2), (cases[0]!["status"].Str(), cases[0]!["messages"]!["nodes"]!.AsArray().Count));
        Assert.Equal(("CS-00002", "new", "CS-00001"), (cases[1]!["number"].Str(), cases[1]!["status"].Str(), cases[1]!["followUpOf"]!["number"].Str()));
    }

    [Fact]
    public async Task An_oversized_mail_is_refused_by_the_listener_and_opens_no_case()
    {
        var (tenant, domain) = await MailTenantAsync();
        var big = Mail("Li", "li@client.cn", "support@" + domain, "巨大的附件");
        var body = new BodyBuilder { TextBody = "见附件" };
        body.Attachments.Add("dump.txt", Encoding.ASCII.GetBytes(new string('x', ServiceHost.MaxMessageBytes)), new ContentType("text", "plain"));
        big.Body = body.ToMessageBody();

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => host.SendAsync(big));
        await host.SendAsync(Mail("Li", "li@client.cn", "support@" + domain, "小问题"));
        var cases = await CasesAsync(tenant, c => c.Count >= 1);

        Assert.Equal(552, (int)refused.StatusCode);
        Assert.Equal(["小问题"], cases.Select(c => c!["subject"].Str()));
    }

    private async Task<(ServiceTenant Tenant, string Domain)> MailTenantAsync()
    {
        var domain = $"t{Guid.NewGuid():N}"[..13] + ".example";
        return (await host.TenantAsync(domain), domain);
    }

    private static async Task<JsonArray> CasesAsync(ServiceTenant tenant, Func<JsonArray, bool> done) =>
        (await tenant.Admin.EventuallyAsync(Cases, d => done(d["serviceCases"]!["nodes"]!.AsArray())))["serviceCases"]!["nodes"]!.AsArray();

    internal static MimeMessage Mail(string name, string from, string to, string subject, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(name, from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("client.cn");
        message.Body = new TextPart("plain") { Text = subject };
        return message;
    }
}
