using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using CrmEngine.Testing.Messaging;
using static CrmEngine.Host.Tests.Messaging.MessagingQueries;

namespace CrmEngine.Host.Tests.Messaging;

/// <summary>Two hosts on one PostgreSQL database both send messages: each message id is sent by one of them, once.</summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsMessagingTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task Messages_queued_through_two_hosts_are_each_sent_once()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        var first = _hosts.Start(MessagingHostFixture.Settings);
        var second = _hosts.Start(MessagingHostFixture.Settings);
        using var one = await first.NewTenantAsync();
        using var two = second.Client(one.TenantId, one.Key);
        await DefineContactsAsync(one);
        await UseSmtpAsync(one, smtp.Port);
        var contact = await ContactAsync(one, "Chen", "chen@example.cn");

        for (var i = 0; i < 30; i++)
        {
            await SendAsync(i % 2 == 0 ? one : two, new { recordId = contact, channel = "EMAIL", purpose = "service", subject = $"Message {i}", body = $"<p>{i}</p>" });
        }

        var log = await MessagesAsync(two, contact, m => m.Count == 30 && m.All(x => S(x!["status"]) == "SENT"));
        var received = await smtp.WaitForAsync(30);
        await Task.Delay(500);

        Assert.All(log, m => Assert.Equal(("SENT", 1), (S(m!["status"]), m["attempts"]!.GetValue<int>())));
        Assert.Equal(30, smtp.Received.Count);
        Assert.Equal(30, received.Select(m => m.MessageId).Distinct().Count());
    }
}
