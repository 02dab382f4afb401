using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Types;
using CrmEngine.Webhooks.Delivery;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Subscriptions;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Webhooks.Api;

/// <summary>The graph types of webhooks and their deliveries; made anew for every schema build.</summary>
internal sealed class WebhookGraphTypes
{
    public WebhookGraphTypes(SharedTypes types, DeliveryLog log)
    {
        var text = SharedTypes.NonNull(types.String);
        var id = SharedTypes.NonNull(types.Id);
        var instant = SharedTypes.NonNull(types.DateTime);
        Event = new EnumerationGraphType<RecordOperation> { Name = "WebhookEventKind", Description = "A kind of record change a webhook can be sent." };
        Status = new EnumerationGraphType<DeliveryStatus> { Name = "WebhookDeliveryStatus", Description = "Where a delivery stands: waiting for an attempt, delivered, or dead after its last attempt." };
        var events = SharedTypes.NonNull(SharedTypes.ListOf(Event));

        Delivery = SharedTypes.SourceObject(WebhookIds.Delivery, "One change sent (or to send) to one webhook, and how its attempts went.",
            ("id", id, s => GlobalId.Encode(WebhookIds.Delivery, D(s).Id)),
            ("idempotencyKey", text, s => D(s).Id.ToString()),
            ("webhookId", id, s => GlobalId.Encode(WebhookIds.Webhook, D(s).WebhookId)),
            ("event", SharedTypes.NonNull(Event), s => Operation(D(s).Event)),
            ("entity", text, s => D(s).Entity),
            ("recordId", id, s => GlobalId.Encode(D(s).Entity, D(s).RecordId)),
            ("status", SharedTypes.NonNull(Status), s => Enum.Parse<DeliveryStatus>(D(s).Status)),
            ("attempts", SharedTypes.NonNull(types.Int), s => D(s).Attempts),
            ("lastStatusCode", types.Int, s => D(s).LastStatusCode),
            ("lastError", types.String, s => D(s).LastError),
            ("lastAttemptAt", types.DateTime, s => Utc(D(s).LastAttemptAt)),
            ("nextAttemptAt", types.DateTime, s => Utc(D(s).NextAttemptAt)),
            ("deliveredAt", types.DateTime, s => Utc(D(s).DeliveredAt)),
            ("createdAt", instant, s => Utc(D(s).CreatedAt)),
            ("body", text, s => D(s).Body));

        Webhook = SharedTypes.SourceObject(WebhookIds.Webhook, "A subscription of an endpoint to an entity's record changes. Its signing secret is shown only by createWebhook and rotateWebhookSecret.",
            ("id", id, s => GlobalId.Encode(WebhookIds.Webhook, W(s).Id)),
            ("url", text, s => W(s).Url),
            ("entity", text, s => W(s).Entity),
            ("events", events, s => W(s).Events.Split(',').Select(Operation).ToList()),
            ("filter", types.Json, s => RuleFilterReader.Parse(W(s).Filter)),
            ("active", SharedTypes.NonNull(types.Boolean), s => W(s).Active),
            ("disabledReason", types.String, s => W(s).DisabledReason),
            ("disabledAt", types.DateTime, s => Utc(W(s).DisabledAt)),
            ("consecutiveFailures", SharedTypes.NonNull(types.Int), s => W(s).ConsecutiveFailures),
            ("createdAt", instant, s => Utc(W(s).CreatedAt)),
            ("updatedAt", instant, s => Utc(W(s).UpdatedAt)));
        Webhook.AddField(new FieldType
        {
            Name = "deliveries",
            Description = "This webhook's deliveries, newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(Delivery)),
            Arguments = new QueryArguments(new QueryArgument(Status) { Name = "status" }, new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 }),
            Resolver = Resolve.Async(async (c, crm) => await log.ListAsync(crm.Session, W(c.Source!).Id, c.GetArgument<DeliveryStatus?>("status"), c.GetArgument<int>("first"), c.CancellationToken)),
        });

        SecretPayload = Payload("WebhookSecretPayload", ("webhook", Webhook, o => o.Webhook), ("secret", types.String, o => o.Secret), ("userErrors", types.UserErrors, o => o.Errors));
        WebhookPayload = Payload("WebhookPayload", ("webhook", Webhook, o => o.Webhook), ("userErrors", types.UserErrors, o => o.Errors));
        RedeliverPayload = Payload("RedeliverWebhookPayload", ("delivery", Delivery, o => o.Delivery), ("userErrors", types.UserErrors, o => o.Errors));
        CreateInput = SharedTypes.Input("CreateWebhookInput", "A new webhook: where to send which changes of which entity.",
            ("url", text), ("entity", text), ("events", events), ("filter", types.Json), ("active", types.Boolean));
        UpdateInput = SharedTypes.Input("UpdateWebhookInput", "What to change on a webhook; members left out stay as they are. active: true enables it again (also after an automatic disabling) and clears its failures.",
            ("url", types.String), ("entity", types.String), ("events", SharedTypes.ListOf(Event)), ("filter", types.Json), ("active", types.Boolean));
    }

    public EnumerationGraphType<RecordOperation> Event { get; }

    public EnumerationGraphType<DeliveryStatus> Status { get; }

    public ObjectGraphType Webhook { get; }

    public ObjectGraphType Delivery { get; }

    public ObjectGraphType SecretPayload { get; }

    public ObjectGraphType WebhookPayload { get; }

    public ObjectGraphType RedeliverPayload { get; }

    public InputObjectGraphType CreateInput { get; }

    public InputObjectGraphType UpdateInput { get; }

    private static ObjectGraphType Payload(string name, params (string Name, IGraphType Type, Func<WebhookOutcome, object?> Read)[] fields) =>
        SharedTypes.SourceObject(name, "What the mutation did; userErrors say why it did nothing.", [.. fields.Select(f => (f.Name, f.Type, (Func<object, object?>)(s => f.Read((WebhookOutcome)s))))]);

    private static RecordOperation Operation(string eventName) => Enum.Parse<RecordOperation>(eventName, ignoreCase: true);

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static WebhookRow W(object source) => (WebhookRow)source;

    private static WebhookDeliveryRow D(object source) => (WebhookDeliveryRow)source;
}

/// <summary>What a webhook mutation answers: the webhook or delivery it changed, a secret to show once, or the errors that stopped it.</summary>
internal sealed record WebhookOutcome(WebhookRow? Webhook = null, string? Secret = null, WebhookDeliveryRow? Delivery = null, IReadOnlyList<CrmError>? Errors = null)
{
    public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];

    public static WebhookOutcome Of(WebhookWithSecret created) => new(created.Webhook, created.Secret);
}
