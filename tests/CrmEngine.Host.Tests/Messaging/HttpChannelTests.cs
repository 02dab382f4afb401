using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Webhooks;
using static CrmEngine.Host.Tests.Messaging.MessagingQueries;

namespace CrmEngine.Host.Tests.Messaging;

/// <summary>SMS through a fake gateway and the generic webhook channel, both real HTTP servers on loopback.</summary>
public sealed class HttpChannelTests(MessagingHostFixture fixture) : IClassFixture<MessagingHostFixture>
{
    [Fact]
    public async Task An_sms_goes_to_the_gateway_in_its_body_template_with_its_auth_header_retried_after_a_5xx_with_the_same_idempotency_key()
    {
        await using var gateway = await WebhookReceiver.StartAsync();
        gateway.AnswerWith(503);
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await client.MutateAsync(SetChannel, new { input = new { channel = "SMS", url = gateway.Url("/sms"), secret = "Bearer gw-token", bodyTemplate = "{\"phone\": \"{{ to }}\", \"message\": \"{{ text }}\"}" } });
        var contact = await ContactAsync(client, "Lin", "lin@example.cn");
        await client.MutateAsync("mutation($id: ID!) { updateContact(id: $id, input: { mobile: \"+86 138 0000 0000\" }) { contact { id } userErrors { code } } }", new { id = contact });

        await SendAsync(client, new { recordId = contact, channel = "SMS", purpose = "service", body = "验证码 \"1234\"" });
        var sent = (await MessagesAsync(client, contact, m => S(m[0]!["status"]) == "SENT")).Single()!;
        var requests = await gateway.WaitForAsync(2);

        Assert.Equal(2, sent["attempts"]!.GetValue<int>());
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("Bearer gw-token", "/sms"), (r.Header("Authorization"), r.Path)));
        Assert.Single(requests.Select(r => r.Header("Idempotency-Key")).Distinct());
        var body = JsonNode.Parse(requests[1].Body)!;
        Assert.Equal(("+86 138 0000 0000", "验证码 \"1234\""), (S(body["phone"]), S(body["message"])));
    }

    [Fact]
    public async Task A_gateway_answering_4xx_bounces_the_sms_at_once()
    {
        await using var gateway = await WebhookReceiver.StartAsync();
        gateway.AnswerWith(400);
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await client.MutateAsync(SetChannel, new { input = new { channel = "SMS", url = gateway.Url("/sms") } });
        var contact = await ContactAsync(client, "Ma", "ma@example.cn");

        await SendAsync(client, new { recordId = contact, channel = "SMS", purpose = "service", body = "hello", to = "+86 139 1111 2222" });
        var bounced = (await MessagesAsync(client, contact, m => S(m[0]!["status"]) == "BOUNCED")).Single()!;

        Assert.Equal(1, bounced["attempts"]!.GetValue<int>());
        Assert.StartsWith("HTTP 400", S(bounced["lastError"]));
        Assert.Single(gateway.Received);
        Assert.Equal(("+86 139 1111 2222", "hello"), (S(JsonNode.Parse(gateway.Received[0].Body)!["to"]), S(JsonNode.Parse(gateway.Received[0].Body)!["text"])));
    }

    [Fact]
    public async Task The_webhook_channel_posts_the_message_signed_with_the_channels_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await fixture.Host.NewTenantAsync();
        await DefineContactsAsync(client);
        await client.MutateAsync(SetChannel, new { input = new { channel = "WEBHOOK", url = receiver.Url(), secret = "whsec_channel" } });
        await client.MutateAsync(SaveTemplate, new { input = new { name = "wechat", language = "en", body = "Hi {{ record.name }} of {{ record.account.name }}" } });
        var contact = await ContactAsync(client, "Guo", "guo@example.cn");

        var queued = await SendAsync(client, new { recordId = contact, channel = "WEBHOOK", purpose = "service", template = "wechat" });
        await MessagesAsync(client, contact, m => S(m[0]!["status"]) == "SENT");
        var request = (await receiver.WaitForAsync(1)).Single();
        var body = JsonNode.Parse(request.Body)!;

        Assert.True(WebhookQueries.SignatureVerifies("whsec_channel", request));
        Assert.Equal((S(queued["id"]), contact, "Hi Guo of 华东客户"), (S(body["id"]), S(body["recordId"]), S(body["text"])));
    }
}
