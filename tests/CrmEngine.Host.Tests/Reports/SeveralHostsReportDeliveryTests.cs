using CrmEngine.Host.Tests.Messaging;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using CrmEngine.Testing.Messaging;
using static CrmEngine.Host.Tests.Reports.ReportData;
using static CrmEngine.Host.Tests.Reports.ReportMail;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>Two hosts on one PostgreSQL database run the same due deliveries at once: each subscription is delivered once.</summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsReportDeliveryTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task Subscriptions_due_on_two_hosts_at_once_are_each_delivered_once()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var first = _hosts.Start(MessagingHostFixture.Settings);
        var second = _hosts.Start(MessagingHostFixture.Settings);
        using var one = await TenantAsync(first);
        using var two = second.Client(one.TenantId, one.Key);
        await MessagingQueries.UseSmtpAsync(one, smtp.Port);
        var report = await SaveAsync(one, new { name = "Contacts by status", entity = "contact", groupBy = new[] { new { field = "status" } } });
        var due = DateTime.MinValue;
        for (var i = 0; i < 3; i++)
        {
            due = Time((await SubscribeAsync(i % 2 == 0 ? one : two, new { reportId = report, emails = new[] { $"reader{i}@example.cn" }, formats = new[] { "CSV" }, schedule = Daily() }))["nextRunAt"]);
        }

        // Each host runs the due deliveries three times over, all at once.
        var runs = new[] { first, second }.SelectMany(host => Enumerable.Range(0, 3).Select(_ => Task.Run(() => RunDueAsync(host, one, due)))).ToList();
        Assert.Equal(3, (await Task.WhenAll(runs)).Sum());
        var received = await smtp.WaitForAsync(3);
        await Task.Delay(500);

        Assert.Equal(3, smtp.Received.Count);
        Assert.Equal(["reader0@example.cn", "reader1@example.cn", "reader2@example.cn"], received.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(await ListAsync(two), s => Assert.Equal("SENT", s!["lastOutcome"]!.GetValue<string>()));
    }
}
