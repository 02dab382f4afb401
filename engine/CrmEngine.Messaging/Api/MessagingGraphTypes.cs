using CrmEngine.Sdk.Messaging;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Types;
using CrmEngine.Messaging.Storage;
using GraphQL.Types;

namespace CrmEngine.Messaging.Api;

/// <summary>The graph types of messages, channel settings and templates; made anew for every schema build.</summary>
internal sealed class MessagingGraphTypes
{
    public const string MessageKind = "Message";

    public MessagingGraphTypes(SharedTypes types)
    {
        var text = SharedTypes.NonNull(types.String);
        var id = SharedTypes.NonNull(types.Id);
        var instant = SharedTypes.NonNull(types.DateTime);
        var count = SharedTypes.NonNull(types.Int);
        Channel = new EnumerationGraphType<MessageChannel> { Name = "MessageChannel", Description = "How a message travels: e-mail over SMTP, SMS through the tenant's gateway, or a signed JSON POST." };
        Status = new EnumerationGraphType<MessageStatus> { Name = "MessageStatus", Description = "Where a message stands: queued, sent, failed after its last transient failure, or bounced (refused for good)." };
        Tls = new EnumerationGraphType<TlsMode> { Name = "MessageTlsMode", Description = "How the SMTP connection is secured: none, STARTTLS, or TLS from the first byte." };

        Message = SharedTypes.SourceObject(MessageKind, "A message queued or sent to a record, and how its attempts went.",
            ("id", id, s => GlobalId.Encode(MessageKind, M(s).Id)),
            ("channel", SharedTypes.NonNull(Channel), s => Enum.Parse<MessageChannel>(M(s).Channel, ignoreCase: true)),
            ("purpose", text, s => M(s).Purpose),
            ("entity", text, s => M(s).Entity),
            ("recordId", id, s => GlobalId.Encode(M(s).Entity, M(s).RecordId)),
            ("recipient", text, s => M(s).Recipient),
            ("template", types.String, s => M(s).Template),
            ("language", types.String, s => M(s).Language.Length == 0 ? null : M(s).Language),
            ("subject", types.String, s => M(s).Subject),
            ("html", types.String, s => M(s).Html),
            ("text", text, s => M(s).Text),
            ("status", SharedTypes.NonNull(Status), s => Enum.Parse<MessageStatus>(M(s).Status)),
            ("attempts", count, s => M(s).Attempts),
            ("lastError", types.String, s => M(s).LastError),
            ("providerId", types.String, s => M(s).ProviderId),
            ("nextAttemptAt", types.DateTime, s => Utc(M(s).NextAttemptAt)),
            ("sentAt", types.DateTime, s => Utc(M(s).SentAt)),
            ("createdAt", instant, s => Utc(M(s).CreatedAt)));

        Settings = SharedTypes.SourceObject("MessageChannelSettings", "A channel's sender settings. Its secret (SMTP password, gateway Authorization header, signing secret) is write-only: hasSecret says whether one is set.",
            ("channel", SharedTypes.NonNull(Channel), s => Enum.Parse<MessageChannel>(C(s).Channel, ignoreCase: true)),
            ("enabled", SharedTypes.NonNull(types.Boolean), s => C(s).Enabled),
            ("host", types.String, s => C(s).Host),
            ("port", types.Int, s => C(s).Port),
            ("tlsMode", Tls, s => C(s).TlsMode is { } mode ? Enum.Parse<TlsMode>(mode) : null),
            ("username", types.String, s => C(s).Username),
            ("hasSecret", SharedTypes.NonNull(types.Boolean), s => C(s).Secret is not null),
            ("fromAddress", types.String, s => C(s).FromAddress),
            ("url", types.String, s => C(s).Url),
            ("bodyTemplate", types.String, s => C(s).BodyTemplate),
            ("dailyCap", count, s => C(s).DailyCap),
            ("perSecond", count, s => C(s).PerSecond),
            ("updatedAt", instant, s => Utc(C(s).UpdatedAt)));

        Template = SharedTypes.SourceObject("MessageTemplate", "One language variant of a message template (Liquid; merge fields under record, e.g. {{ record.name }}, {{ record.account.name }}).",
            ("name", text, s => T(s).Name),
            ("language", text, s => T(s).Language),
            ("subject", types.String, s => T(s).Subject),
            ("body", text, s => T(s).Body),
            ("updatedAt", instant, s => Utc(T(s).UpdatedAt)));

        MessagePayload = Payload("SendMessagePayload", ("message", Message, o => o.Message), ("userErrors", types.UserErrors, o => o.Errors));
        SettingsPayload = Payload("MessageChannelPayload", ("settings", Settings, o => o.Settings), ("userErrors", types.UserErrors, o => o.Errors));
        TemplatePayload = Payload("MessageTemplatePayload", ("template", Template, o => o.Template), ("userErrors", types.UserErrors, o => o.Errors));
        DeletePayload = Payload("DeleteMessageTemplatePayload", ("deleted", count, o => o.Deleted), ("userErrors", types.UserErrors, o => o.Errors));
        SendInput = SharedTypes.Input("SendMessageInput", "A message to a record: a template by name, or a literal subject and body (HTML for e-mail). to overrides the record's own address; attachments are ids of stored files the caller can see (e-mail only).",
            ("recordId", id), ("channel", SharedTypes.NonNull(Channel)), ("purpose", text), ("template", types.String), ("subject", types.String), ("body", types.String), ("to", types.String),
            ("attachments", SharedTypes.ListOf(types.Id)));
        SettingsInput = SharedTypes.Input("MessageChannelInput", "A channel's sender settings; members left out stay as they are. secret is write-only (an empty string removes it).",
            ("channel", SharedTypes.NonNull(Channel)), ("enabled", types.Boolean), ("host", types.String), ("port", types.Int), ("tlsMode", Tls), ("username", types.String),
            ("secret", types.String), ("fromAddress", types.String), ("url", types.String), ("bodyTemplate", types.String), ("dailyCap", types.Int), ("perSecond", types.Int));
        TemplateInput = SharedTypes.Input("MessageTemplateInput", "One language variant (en or zh-CN) of a template, replacing the one saved under the same name and language.",
            ("name", text), ("language", text), ("subject", types.String), ("body", text));
    }

    public EnumerationGraphType<MessageChannel> Channel { get; }

    public EnumerationGraphType<MessageStatus> Status { get; }

    public EnumerationGraphType<TlsMode> Tls { get; }

    public ObjectGraphType Message { get; }

    public ObjectGraphType Settings { get; }

    public ObjectGraphType Template { get; }

    public ObjectGraphType MessagePayload { get; }

    public ObjectGraphType SettingsPayload { get; }

    public ObjectGraphType TemplatePayload { get; }

    public ObjectGraphType DeletePayload { get; }

    public InputObjectGraphType SendInput { get; }

    public InputObjectGraphType SettingsInput { get; }

    public InputObjectGraphType TemplateInput { get; }

    private static ObjectGraphType Payload(string name, params (string Name, IGraphType Type, Func<MessagingOutcome, object?> Read)[] fields) =>
        SharedTypes.SourceObject(name, "What the mutation did; userErrors say why it did nothing.", [.. fields.Select(f => (f.Name, f.Type, (Func<object, object?>)(s => f.Read((MessagingOutcome)s))))]);

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static MessageRow M(object source) => (MessageRow)source;

    private static ChannelSettingsRow C(object source) => (ChannelSettingsRow)source;

    private static TemplateRow T(object source) => (TemplateRow)source;
}

/// <summary>What a messaging mutation answers: what it made or changed, or the errors that stopped it.</summary>
internal sealed record MessagingOutcome(MessageRow? Message = null, ChannelSettingsRow? Settings = null, TemplateRow? Template = null, int Deleted = 0, IReadOnlyList<CrmError>? Errors = null)
{
    public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];
}
