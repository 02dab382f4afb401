using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Webhooks.Delivery;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Subscriptions;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Webhooks.Api;

/// <summary>
/// Webhook administration in every tenant's schema: <c>webhooks</c>, <c>webhook</c>,
/// <c>webhookDeliveries</c>; <c>createWebhook</c>, <c>updateWebhook</c>, <c>deleteWebhook</c>,
/// <c>rotateWebhookSecret</c>, <c>redeliverWebhook</c>. All need admin rights.
/// </summary>
internal sealed class WebhooksContributor(WebhookService webhooks, DeliveryLog log) : ISchemaContributor
{
    public int Order => 45;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new WebhookGraphTypes(types, log);
        AddQueries(context, types, graph);
        AddMutations(context, types, graph);
    }

    private void AddQueries(SchemaBuildContext context, SharedTypes types, WebhookGraphTypes graph)
    {
        context.Query.AddField(new FieldType
        {
            Name = "webhooks",
            Description = "The tenant's webhooks, oldest first. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Webhook)),
            Resolver = Resolve.Async(async (c, crm) => await webhooks.ListAsync(crm.Session, c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "webhook",
            Description = "One webhook; null when there is none. Needs admin rights.",
            ResolvedType = graph.Webhook,
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) => await webhooks.GetAsync(crm.Session, WebhookId(c.GetArgument<string>("id")), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "webhookDeliveries",
            Description = "The delivery log, newest first: status, attempts, the last answer, the next attempt. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Delivery)),
            Arguments = new QueryArguments(
                new QueryArgument(types.Id) { Name = "webhookId" },
                new QueryArgument(graph.Status) { Name = "status" },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 50, Description = $"At most {DeliveryLog.MaxPage}." }),
            Resolver = Resolve.Async(async (c, crm) => await log.ListAsync(crm.Session,
                c.GetArgument<string?>("webhookId") is { } id ? WebhookId(id, "webhookId") : null, c.GetArgument<DeliveryStatus?>("status"), c.GetArgument<int>("first"), c.CancellationToken)),
        });
    }

    private void AddMutations(SchemaBuildContext context, SharedTypes types, WebhookGraphTypes graph)
    {
        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        Mutation(context, "createWebhook", "Subscribes an endpoint to an entity's changes. The answer holds the signing secret: it is shown this once. A target on a loopback, private or link-local address is refused (WEBHOOK_TARGET_REFUSED).",
            graph.SecretPayload, new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.CreateInput)) { Name = "input" }),
            async (c, crm) => WebhookOutcome.Of(await webhooks.CreateAsync(crm.Session, Input(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken)));
        Mutation(context, "updateWebhook", "Changes a webhook; active: true enables it again after an automatic disabling.",
            graph.WebhookPayload, new QueryArguments(id, new QueryArgument(SharedTypes.NonNull(graph.UpdateInput)) { Name = "input" }),
            async (c, crm) => new WebhookOutcome(await webhooks.UpdateAsync(crm.Session, WebhookId(c.GetArgument<string>("id")), Input(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken)));
        Mutation(context, "deleteWebhook", "Deletes a webhook and its delivery log; nothing more is sent to it.",
            graph.WebhookPayload, new QueryArguments(id),
            async (c, crm) => new WebhookOutcome(await webhooks.DeleteAsync(crm.Session, WebhookId(c.GetArgument<string>("id")), c.CancellationToken)));
        Mutation(context, "rotateWebhookSecret", "Gives a webhook a new signing secret, shown this once; the old one signs nothing more.",
            graph.SecretPayload, new QueryArguments(id),
            async (c, crm) => WebhookOutcome.Of(await webhooks.RotateSecretAsync(crm.Session, WebhookId(c.GetArgument<string>("id")), c.CancellationToken)));
        Mutation(context, "redeliverWebhook", "Sends a delivery again with a fresh set of attempts: the same body and idempotency key.",
            graph.RedeliverPayload, new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "deliveryId" }),
            async (c, crm) => new WebhookOutcome(Delivery: await log.RedeliverAsync(crm.Session, DeliveryId(c.GetArgument<string>("deliveryId")), c.CancellationToken)));
    }

    private static void Mutation(SchemaBuildContext context, string name, string description, IGraphType payload, QueryArguments arguments, Func<IResolveFieldContext, CrmUserContext, Task<WebhookOutcome>> change) =>
        context.AddAdminMutation(name, description, payload, arguments, change, errors => new WebhookOutcome(Errors: errors));

    private static WebhookInput Input(Dictionary<string, object?> input) => new(
        input.GetValueOrDefault("url") as string,
        input.GetValueOrDefault("entity") as string,
        input.GetValueOrDefault("events") is IEnumerable<object?> events ? events.OfType<RecordOperation>().Select(WebhookService.EventName).ToList() : null,
        input.TryGetValue("filter", out var filter) ? new Patch<string?>(true, filter is null ? null : JsonSerializer.Serialize(filter)) : default,
        input.GetValueOrDefault("active") as bool?);

    private static Guid WebhookId(string value, string argument = "id") =>
        GlobalId.TryRead(value, WebhookIds.Webhook, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a webhook id.", argument);

    private static Guid DeliveryId(string value) =>
        GlobalId.TryRead(value, WebhookIds.Delivery, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a webhook delivery id.", "deliveryId");
}
