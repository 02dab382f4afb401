using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmEngine.Benchmarks.Load;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CrmEngine.Benchmarks.Service;

/// <summary>
/// E-mail-to-case end to end (issue 21): the host's SMTP listener on a loopback port, a tenant with
/// sales and service that takes a domain's mail, and <c>--connections</c> MailKit clients, each on one
/// SMTP connection (as a relay delivers), sending <c>--messages</c> in all back to back. The listener
/// answers 250 only once the message is taken in: logged, its attachment stored, handed to the
/// service module, which opened a case (the sender made a contact the first time) or threaded the
/// reply onto its case. So the time from the first MAIL FROM to the last 250 is sent → case exists;
/// the counts of cases, case messages and contacts are checked against what was sent afterwards.
/// Every fourth message of a connection answers an earlier one of it (In-Reply-To and References),
/// every tenth carries a 4 KB log file; the normal priority has an SLA policy, so each case gets its clock.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- service-inbound --messages 2000 [--connections 4] [--senders 500] [--store postgres]
/// </summary>
public static class ServiceInboundCommand
{
    private const string Domain = "support.bench.example";

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = int.Parse(LoadCommand.Option(args, "--messages", "2000"), CultureInfo.InvariantCulture);
        var connections = int.Parse(LoadCommand.Option(args, "--connections", "4"), CultureInfo.InvariantCulture);
        var senders = int.Parse(LoadCommand.Option(args, "--senders", "500"), CultureInfo.InvariantCulture);
        var warmup = int.Parse(LoadCommand.Option(args, "--warmup", "100"), CultureInfo.InvariantCulture);
        var port = ServiceBenchHost.FreePort();
        await using var host = await ServiceBenchHost.StartAsync(args, smtpPort: port);
        var tenant = await host.CreateTenantAsync("sales", "service");
        await tenant.Admin.MutateAsync("mutation($input: InboundMailSettingsInput!) { setInboundMailSettings(input: $input) { settings { domains } userErrors { field code message } } }", new { input = new { domains = new[] { Domain } } });
        // An SLA policy for the mail's priority, so each new case gets its clock as in production.
        var calendar = (await tenant.Admin.MutateAsync("mutation { createServiceCalendar(input: {name: \"上海支持中心\", timeZone: \"Asia/Shanghai\", workdayStart: \"09:00\", workdayEnd: \"18:00\"}) { serviceCalendar { id } userErrors { field code message } } }"))["serviceCalendar"]!["id"]!.GetValue<string>();
        await tenant.Admin.MutateAsync("mutation($c: ID!) { createSlaPolicy(input: {name: \"普通工单\", priority: \"normal\", calendarId: $c, firstResponseMinutes: 240, resolutionMinutes: 960}) { slaPolicy { id } userErrors { field code message } } }", new { c = calendar });

        // Warm-up (untimed): the plugin's queries compiled, the routes map read, connections opened.
        var warm = await SendAsync(port, "w", warmup, Math.Min(connections, warmup), senders, 0);
        var timed = await SendAsync(port, "m", messages, connections, senders, senders);
        var counts = await tenant.Admin.QueryAsync("{ serviceCases { totalCount } serviceCaseMessages { totalCount } contacts { totalCount } }");
        int Count(string field) => counts[field]!["totalCount"]!.GetValue<int>();
        var (cases, logged, contacts) = (Count("serviceCases"), Count("serviceCaseMessages"), Count("contacts"));
        var expectedCases = warm.NewCases + timed.NewCases;
        var expectedContacts = warm.Senders + timed.Senders;

        var latencies = timed.Latencies.Order().ToList();
        Console.WriteLine($"E-mail to case on {ServiceBenchHost.Store(args)}: {messages:N0} messages over {connections} SMTP connections in {timed.Elapsed.TotalSeconds:F2} s: {messages / timed.Elapsed.TotalSeconds:F1} messages/s (target >= 50)");
        Console.WriteLine($"  per message (DATA sent to 250, the case written): p50 {Percentile(latencies, 0.5):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms; {timed.NewCases:N0} new cases, {messages - timed.NewCases:N0} replies threaded, {timed.Refused} refused");
        Console.WriteLine($"  after warm-up and run: {cases:N0} cases (expected {expectedCases:N0}), {logged:N0} case messages (expected {warmup + messages:N0}), {contacts:N0} contacts (expected {expectedContacts:N0})");
        return cases == expectedCases && logged == warmup + messages && contacts == expectedContacts && timed.Refused == 0 && warm.Refused == 0 ? 0 : 1;
    }

    private sealed record Sent(TimeSpan Elapsed, int NewCases, int Refused, ConcurrentBag<double> Latencies, int Senders);

    /// <summary>Sends <paramref name="count"/> messages over <paramref name="connections"/> connections; senders are numbered from <paramref name="firstSender"/>.</summary>
    private static async Task<Sent> SendAsync(int port, string prefix, int count, int connections, int senders, int firstSender)
    {
        var latencies = new ConcurrentBag<double>();
        var (newCases, refused) = (0, 0);
        var used = new ConcurrentDictionary<int, bool>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
            var mine = new List<(string MessageId, string Subject, int Sender)>();
            for (var i = c; i < count; i += connections)
            {
                var n = mine.Count;
                var reply = n > 0 && n % 4 == 3;
                var (inReplyTo, subject, sender) = reply ? mine[(i * 31) % n] : (null!, Subject(i), firstSender + (i % senders));
                var message = Message(prefix, i, sender, reply ? "Re: " + subject : subject, reply ? inReplyTo : null);
                var one = Stopwatch.StartNew();
                try
                {
                    await smtp.SendAsync(message);
                    latencies.Add(one.Elapsed.TotalMilliseconds);
                    if (!reply)
                    {
                        Interlocked.Increment(ref newCases);
                    }

                    mine.Add((message.MessageId!, subject, sender));
                    used[sender] = true;
                }
                catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or MailKit.ServiceNotConnectedException or IOException)
                {
                    // Counted (the run then fails), and the connection opened again if the listener closed it.
                    Console.Error.WriteLine($"Message {prefix}{i} was refused: {(e as SmtpCommandException)?.StatusCode} {e.Message}");
                    Interlocked.Increment(ref refused);
                    if (!smtp.IsConnected)
                    {
                        await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
                    }
                }
            }

            await smtp.DisconnectAsync(true);
        }))).ConfigureAwait(false);
        return new Sent(clock.Elapsed, newCases, refused, latencies, used.Count);
    }

    private static readonly string[] Topics = ["路由器频繁掉线", "Invoice shows the wrong tax number", "无法登录客户门户", "Printer driver fails after update", "订单发货延迟", "VPN disconnects every hour", "退款申请进度查询", "Cannot export the monthly report"];

    private static string Subject(int i) => $"{Topics[i % Topics.Length]} #{i}";

    private static MimeMessage Message(string prefix, int i, int sender, string subject, string? inReplyTo)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(sender % 2 == 0 ? $"客户{sender}" : $"Customer {sender}", $"customer{sender}@client{sender % 97}.example.cn"));
        message.To.Add(new MailboxAddress("Support", $"help@{Domain}"));
        message.Subject = subject;
        message.MessageId = $"{prefix}{i}.{sender}@client.example.cn";
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }

        var text = new StringBuilder();
        for (var line = 0; line < 12; line++)
        {
            text.AppendLine(line % 2 == 0 ? $"您好，第 {line} 行：设备型号 RX-{i % 50}，问题从上周开始出现，每天下午三点左右最明显。" : $"Line {line}: we restarted the device and cleared the cache, the problem came back within the hour.");
        }

        var body = new BodyBuilder { TextBody = text.ToString() };
        if (i % 10 == 0)
        {
            body.Attachments.Add("diagnostics.log", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"17:02:{i % 60:00} link down, retrying (attempt {i})\n", 100))[..4096]), new ContentType("text", "plain"));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
