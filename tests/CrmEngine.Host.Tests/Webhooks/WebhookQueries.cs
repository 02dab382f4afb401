using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>The webhook operations the tests send, and a receiver's signature check as docs/webhooks.md shows it.</summary>
public static class WebhookQueries
{
    public const string Create = """
        mutation($input: CreateWebhookInput!) {
          createWebhook(input: $input) { webhook { id url entity events filter active } secret userErrors { field code message } }
        }
        """;

    public const string Deliveries = """
        query($id: ID) {
          webhookDeliveries(webhookId: $id) { id idempotencyKey event entity recordId status attempts lastStatusCode lastError nextAttemptAt deliveredAt }
        }
        """;

    /// <summary>Creates a webhook that must be accepted; returns its id and its secret.</summary>
    public static async Task<(string Id, string Secret)> CreateAsync(TenantClient client, object input)
    {
        var payload = await client.MutateAsync(Create, new { input });
        return (payload["webhook"]!["id"]!.GetValue<string>(), payload["secret"]!.GetValue<string>());
    }

    /// <summary>The webhook's deliveries once <paramref name="done"/> holds for them (at most 15 s), newest first.</summary>
    public static async Task<JsonArray> DeliveriesAsync(TenantClient client, string webhookId, Func<JsonArray, bool> done) =>
        (await client.EventuallyAsync(Deliveries, d => done(d["webhookDeliveries"]!.AsArray()), new { id = webhookId }))["webhookDeliveries"]!.AsArray();

    public static string S(JsonNode? node) => node!.GetValue<string>();

    /// <summary>What a receiver does: HMAC-SHA256 with the secret over "{timestamp}.{body}", compared in constant time with the header.</summary>
    public static bool SignatureVerifies(string secret, ReceivedRequest request)
    {
        var timestamp = long.Parse(request.Header("X-Crm-Timestamp"), CultureInfo.InvariantCulture);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Header("X-Crm-Signature")));
    }
}
