using CrmEngine.Sdk.Messaging;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Messaging.Channels;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Messaging.Storage;
using CrmEngine.Messaging.Templates;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Messaging.Api;

/// <summary>
/// Messaging in every tenant's schema: <c>messages</c> (the log, with the caller's rights; with
/// <c>recordId</c>, a record's timeline) and <c>sendMessage</c> for anyone who can read the record;
/// <c>messageChannels</c>, <c>messageTemplates</c>, <c>setMessageChannel</c>, <c>saveMessageTemplate</c>,
/// <c>deleteMessageTemplate</c> for admins.
/// </summary>
internal sealed class MessagingContributor(MessageOutbox outbox, MessageLog log, ChannelSettingsService channels, TemplateService templates) : ISchemaContributor
{
    public int Order => 46;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new MessagingGraphTypes(types);
        AddQueries(context, types, graph);
        AddMutations(context, types, graph);
    }

    private void AddQueries(SchemaBuildContext context, SharedTypes types, MessagingGraphTypes graph)
    {
        context.Query.AddField(new FieldType
        {
            Name = "messages",
            Description = "Messages newest first. With recordId: the messages about that record (its timeline), if the caller can read it. Without: every message for admins, the messages about records the caller can read for anyone else.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Message)),
            Arguments = new QueryArguments(
                new QueryArgument(types.Id) { Name = "recordId" },
                new QueryArgument(graph.Status) { Name = "status" },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 50, Description = $"At most {MessageLog.MaxPage}." }),
            Resolver = Resolve.Async(async (c, crm) => await log.ListAsync(crm.Session,
                c.GetArgument<string?>("recordId") is { } id ? RecordId(id) : null, c.GetArgument<MessageStatus?>("status"), c.GetArgument<int>("first"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "messageChannels",
            Description = "The tenant's sender settings, per channel. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Settings)),
            Resolver = Resolve.Async(async (c, crm) => await channels.ListAsync(crm.Session, c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "messageTemplates",
            Description = "The tenant's message templates, by name and language. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Template)),
            Resolver = Resolve.Async(async (c, crm) => await templates.ListAsync(crm.Session, c.CancellationToken)),
        });
    }

    private void AddMutations(SchemaBuildContext context, SharedTypes types, MessagingGraphTypes graph)
    {
        context.Mutation.AddField(new FieldType
        {
            Name = "sendMessage",
            Description = "Queues a message to a record the caller can read. Refused, nothing queued, when the record opted out of the purpose (RECIPIENT_OPTED_OUT), has no address (NO_RECIPIENT_ADDRESS), the template is missing (TEMPLATE_NOT_FOUND), or attachments go on a channel other than e-mail (ATTACHMENTS_NOT_SUPPORTED).",
            ResolvedType = SharedTypes.NonNull(graph.MessagePayload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.SendInput)) { Name = "input" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    var input = c.GetArgument<Dictionary<string, object?>>("input");
                    var (entity, id) = RecordId((string)input["recordId"]!);
                    var request = new MessageRequest((MessageChannel)input["channel"]!, entity, id, (string)input["purpose"]!,
                        input.GetValueOrDefault("template") as string, input.GetValueOrDefault("subject") as string, input.GetValueOrDefault("body") as string, input.GetValueOrDefault("to") as string,
                        FileIds(input.GetValueOrDefault("attachments") as IEnumerable<object?>));
                    return new MessagingOutcome((await outbox.EnqueueAsync(crm.Session, [request], c.CancellationToken))[0]);
                }
                catch (CrmException e)
                {
                    return new MessagingOutcome(Errors: e.Errors);
                }
            }),
        });
        context.AddAdminMutation("setMessageChannel", "Sets a channel's sender settings; the secret is never returned.", graph.SettingsPayload,
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.SettingsInput)) { Name = "input" }),
            async (c, crm) => new MessagingOutcome(Settings: await channels.SetAsync(crm.Session, SettingsInput(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken)),
            errors => new MessagingOutcome(Errors: errors));
        context.AddAdminMutation("saveMessageTemplate", "Saves one language variant of a template; refused with TEMPLATE_INVALID when its subject or body is not valid Liquid.", graph.TemplatePayload,
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.TemplateInput)) { Name = "input" }),
            async (c, crm) =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return new MessagingOutcome(Template: await templates.SaveAsync(crm.Session,
                    new TemplateInput(input.GetValueOrDefault("name") as string, input.GetValueOrDefault("language") as string, input.GetValueOrDefault("subject") as string, input.GetValueOrDefault("body") as string), c.CancellationToken));
            },
            errors => new MessagingOutcome(Errors: errors));
        context.AddAdminMutation("deleteMessageTemplate", "Deletes every language variant of a template.", graph.DeletePayload,
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "name" }),
            async (c, crm) => new MessagingOutcome(Deleted: await templates.DeleteAsync(crm.Session, c.GetArgument<string>("name"), c.CancellationToken)),
            errors => new MessagingOutcome(Errors: errors));
    }

    private static ChannelSettingsInput SettingsInput(Dictionary<string, object?> input) => new(
        (MessageChannel)input["channel"]!,
        input.GetValueOrDefault("enabled") as bool?,
        input.GetValueOrDefault("host") as string,
        input.GetValueOrDefault("port") as int?,
        input.GetValueOrDefault("tlsMode") as TlsMode?,
        input.GetValueOrDefault("username") as string,
        input.GetValueOrDefault("secret") as string,
        input.GetValueOrDefault("fromAddress") as string,
        input.GetValueOrDefault("url") as string,
        input.GetValueOrDefault("bodyTemplate") as string,
        input.GetValueOrDefault("dailyCap") as int?,
        input.GetValueOrDefault("perSecond") as int?);

    private static List<Guid>? FileIds(IEnumerable<object?>? values) =>
        values?.Select(v => GlobalId.TryRead((string)v!, AttachmentKind.FileType, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{v}' is not a file id.", "attachments")).ToList();

    private static (string Entity, Guid Id) RecordId(string value) =>
        GlobalId.TryDecode(value, out var entity, out var id) ? (entity, id) : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a record id.", "recordId");
}
