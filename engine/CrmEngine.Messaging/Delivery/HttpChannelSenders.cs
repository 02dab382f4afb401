using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrmEngine.Engine.Records;
using CrmEngine.Messaging.Api;
using CrmEngine.Messaging.Storage;
using CrmEngine.Messaging.Templates;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Webhooks.Delivery;
using CrmEngine.Webhooks.Subscriptions;
using CrmEngine.Webhooks.Targets;
using Microsoft.Extensions.Options;

namespace CrmEngine.Messaging.Delivery;

/// <summary>
/// The HTTP channels: a POST per message through the webhooks' guarded client (targets re-resolved
/// and checked against Crm:Webhooks' address policy on every connection, no redirects), up to
/// <see cref="MessagingOptions.Concurrency"/> at once. 2xx is sent; HTTP 5xx, 429, timeouts and
/// connection failures are transient; any other 4xx (and 3xx) refuses the message for good.
/// </summary>
public abstract class HttpChannelSender(TargetGuard guard, IOptions<MessagingOptions> options) : IChannelSender, IDisposable
{
    private readonly HttpClient _client = GuardedHttpClient.Create(guard, "CrmEngine-Messaging");

    public abstract MessageChannel Channel { get; }

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(string tenantId, ChannelConfig config, IReadOnlyList<MessageRow> messages, CancellationToken cancellationToken)
    {
        var outcomes = new SendOutcome[messages.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, options.Value.Concurrency));
        await Task.WhenAll(messages.Select(async (message, i) =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                outcomes[i] = await PostAsync(config, message, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        return outcomes;
    }

    public void Dispose()
    {
        _client.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The request's JSON body for the message.</summary>
    protected abstract Task<string> BodyAsync(ChannelConfig config, MessageRow message);

    /// <summary>Headers beyond the content type: authorization, signatures.</summary>
    protected abstract void Authorize(HttpRequestMessage request, ChannelConfig config, MessageRow message, byte[] body);

    private async Task<SendOutcome> PostAsync(ChannelConfig config, MessageRow message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(await BodyAsync(config, message));
        using var request = new HttpRequestMessage(HttpMethod.Post, config.Settings.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSender.IdempotencyHeader, message.Id.ToString());
        Authorize(request, config, message, body);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var code = (int)response.StatusCode;
            var answer = await WebhookSender.ReadStartAsync(response, deadline.Token);
            if (code is >= 200 and < 300)
            {
                return new SendOutcome(SendResult.Sent, ProviderId: ProviderId(answer) ?? message.Id.ToString());
            }

            var error = answer.Length == 0 ? $"HTTP {code}." : $"HTTP {code}: {answer}";
            return code is >= 500 or 429 ? new SendOutcome(SendResult.Transient, Error: error) : new SendOutcome(SendResult.Permanent, Error: error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(SendResult.Transient, Error: $"No answer within {options.Value.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome(SendResult.Transient, Error: GuardedHttpClient.Refusal(e) ?? $"The request failed: {e.HttpRequestError}.");
        }
    }

    /// <summary>The gateway's id for the message: an "id" or "messageId" member of a JSON answer.</summary>
    private static string? ProviderId(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && (json.RootElement.TryGetProperty("messageId", out var id) || json.RootElement.TryGetProperty("id", out id))
                ? id.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// SMS through the tenant's gateway: the body is the channel's body template (Liquid over <c>to</c>,
/// <c>text</c>, <c>id</c>, values JSON-escaped) or <c>{"to": ..., "text": ..., "id": ...}</c>; the
/// channel's secret, if set, is sent as the Authorization header's value.
/// </summary>
public sealed class SmsSender(TargetGuard guard, TemplateRenderer renderer, IOptions<MessagingOptions> options) : HttpChannelSender(guard, options)
{
    public override MessageChannel Channel => MessageChannel.Sms;

    protected override Task<string> BodyAsync(ChannelConfig config, MessageRow message)
    {
        var values = new Dictionary<string, object?> { ["to"] = message.Recipient, ["text"] = message.Text, ["id"] = message.Id.ToString() };
        return config.Settings.BodyTemplate is { } template
            ? renderer.RenderJsonAsync(template, values)
            : Task.FromResult(JsonSerializer.Serialize(values));
    }

    protected override void Authorize(HttpRequestMessage request, ChannelConfig config, MessageRow message, byte[] body)
    {
        if (config.Secret is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
    }
}

/// <summary>
/// The generic webhook channel: the message as JSON, signed as webhooks are (X-Crm-Signature: HMAC-SHA256
/// with the channel's secret over <c>{timestamp}.{body}</c>), with the message id as idempotency key.
/// </summary>
public sealed class WebhookChannelSender(TargetGuard guard, TimeProvider time, IOptions<MessagingOptions> options) : HttpChannelSender(guard, options)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override MessageChannel Channel => MessageChannel.Webhook;

    protected override Task<string> BodyAsync(ChannelConfig config, MessageRow message) => Task.FromResult(JsonSerializer.Serialize(new
    {
        id = GlobalId.Encode(MessagingGraphTypes.MessageKind, message.Id),
        purpose = message.Purpose,
        entity = message.Entity,
        recordId = GlobalId.Encode(message.Entity, message.RecordId),
        recipient = message.Recipient,
        language = message.Language,
        subject = message.Subject,
        text = message.Text,
        html = message.Html,
        createdAt = DateTime.SpecifyKind(message.CreatedAt, DateTimeKind.Utc),
    }, Json));

    protected override void Authorize(HttpRequestMessage request, ChannelConfig config, MessageRow message, byte[] body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSender.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        if (config.Secret is { } secret)
        {
            request.Headers.Add(WebhookSender.SignatureHeader, WebhookSecrets.Sign(secret, timestamp, body));
        }
    }
}
