using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CrmEngine.Engine.Records;
using CrmEngine.Webhooks.Subscriptions;
using CrmEngine.Webhooks.Targets;
using Microsoft.Extensions.Options;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>How one attempt went: the receiver's status code if it answered, and what went wrong if anything did.</summary>
public sealed record AttemptOutcome(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// Sends one delivery over HTTP through a <see cref="GuardedHttpClient"/> (a 3xx is a failure), a deadline
/// on the whole attempt, and at most <see cref="MaxResponseBytes"/> of the answer read (for the log).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The most of a receiver's answer read, and the most kept in the delivery log.</summary>
    public const int MaxResponseBytes = 1024;

    public const string SignatureHeader = "X-Crm-Signature";
    public const string TimestampHeader = "X-Crm-Timestamp";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string EventHeader = "X-Crm-Event";
    public const string WebhookHeader = "X-Crm-Webhook";

    private readonly HttpClient _client;
    private readonly IOptions<WebhookOptions> _options;
    private readonly TimeProvider _time;

    public WebhookSender(TargetGuard guard, IOptions<WebhookOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _client = GuardedHttpClient.Create(guard, "CrmEngine-Webhooks");
    }

    public async Task<AttemptOutcome> SendAsync(Guid webhookId, string url, Guid deliveryId, string eventName, string entity, string body, string secret, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, WebhookSecrets.Sign(secret, timestamp, bytes));
        request.Headers.Add(IdempotencyHeader, deliveryId.ToString());
        request.Headers.Add(EventHeader, entity + "." + eventName);
        request.Headers.Add(WebhookHeader, GlobalId.Encode(WebhookIds.Webhook, webhookId));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Value.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300)
            {
                return new AttemptOutcome(true, code, null);
            }

            if (code is >= 300 and < 400)
            {
                return new AttemptOutcome(false, code, $"HTTP {code}: redirects are not followed.");
            }

            var answer = await ReadStartAsync(response, deadline.Token);
            return new AttemptOutcome(false, code, answer.Length == 0 ? $"HTTP {code}." : $"HTTP {code}: {answer}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(false, null, $"No answer within {_options.Value.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(false, null, GuardedHttpClient.Refusal(e) ?? $"The request failed: {e.HttpRequestError}.");
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The start of the answer's body, as text; the rest is never read.</summary>
    public static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxResponseBytes];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            {
                read += n;
            }

            return Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }
}
