using CrmEngine.GraphQL.Types;
using CrmEngine.Engine.Records;
using CrmEngine.Inbound.Settings;
using CrmEngine.Inbound.Storage;
using CrmEngine.Messaging.Storage;
using CrmEngine.Sdk.Messaging;
using GraphQL.Types;

namespace CrmEngine.Inbound.Api;

/// <summary>The graph types of inbound settings and the inbound log; made anew for every schema build.</summary>
internal sealed class InboundGraphTypes
{
    public InboundGraphTypes(SharedTypes types)
    {
        var text = SharedTypes.NonNull(types.String);
        var texts = SharedTypes.NonNull(SharedTypes.ListOf(types.String));
        var count = SharedTypes.NonNull(types.Int);
        // Outbound messaging's enum of the same TLS modes.
        var tls = new GraphQLTypeReference("MessageTlsMode");
        var source = new EnumerationGraphType<InboundMailSource> { Name = "InboundMailSource", Description = "Where a message came in: the host's SMTP listener, or the tenant's IMAP mailbox." };

        Message = SharedTypes.SourceObject("InboundMessage", "An e-mail the tenant received, once however often it was delivered.",
            ("id", SharedTypes.NonNull(types.Id), s => GlobalId.Encode("InboundMessage", M(s).Id)),
            ("messageId", text, s => M(s).MessageKey),
            ("source", SharedTypes.NonNull(source), s => Enum.Parse<InboundMailSource>(M(s).Source, ignoreCase: true)),
            ("from", text, s => M(s).FromAddress),
            ("deliveredTo", texts, s => InboundRoutes.Split(M(s).DeliveredTo)),
            ("subject", text, s => M(s).Subject),
            ("inReplyTo", types.String, s => M(s).InReplyTo),
            ("references", texts, s => M(s).References?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? []),
            ("size", count, s => M(s).Size),
            ("attachments", count, s => M(s).Attachments),
            ("handlers", count, s => M(s).Handlers),
            ("handlerErrors", types.String, s => M(s).HandlerErrors),
            ("receivedAt", SharedTypes.NonNull(types.DateTime), s => DateTime.SpecifyKind(M(s).ReceivedAt, DateTimeKind.Utc)));

        Settings = SharedTypes.SourceObject("InboundMailSettings", "What the tenant receives. The IMAP password is write-only: hasImapPassword says whether one is set.",
            ("domains", texts, s => InboundRoutes.Split(S(s).Domains)),
            ("addresses", texts, s => InboundRoutes.Split(S(s).Addresses)),
            ("imapEnabled", SharedTypes.NonNull(types.Boolean), s => S(s).ImapEnabled),
            ("imapHost", types.String, s => S(s).ImapHost),
            ("imapPort", types.Int, s => S(s).ImapPort),
            ("imapTlsMode", tls, s => S(s).ImapTlsMode is { } mode ? Enum.Parse<TlsMode>(mode) : null),
            ("imapUsername", types.String, s => S(s).ImapUsername),
            ("hasImapPassword", SharedTypes.NonNull(types.Boolean), s => S(s).ImapSecret is not null),
            ("imapFolder", text, s => S(s).ImapFolder),
            ("imapLastUid", types.Long, s => S(s).ImapLastUid),
            ("imapPolledAt", types.DateTime, s => S(s).ImapPolledAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null),
            ("imapError", types.String, s => S(s).ImapError));

        Payload = SharedTypes.SourceObject("InboundMailSettingsPayload", "What the mutation did; userErrors say why it did nothing.",
            ("settings", Settings, s => ((InboundOutcome)s).Settings),
            ("userErrors", types.UserErrors, s => ((InboundOutcome)s).Errors ?? []));
        Input = SharedTypes.Input("InboundMailSettingsInput", "What the tenant receives; members left out stay as they are. domains and addresses replace the lists (lowercased).",
            ("domains", SharedTypes.ListOf(types.String)), ("addresses", SharedTypes.ListOf(types.String)), ("imapEnabled", types.Boolean), ("imapHost", types.String),
            ("imapPort", types.Int), ("imapTlsMode", tls), ("imapUsername", types.String), ("imapPassword", types.String), ("imapFolder", types.String));
    }

    public ObjectGraphType Message { get; }

    public ObjectGraphType Settings { get; }

    public ObjectGraphType Payload { get; }

    public InputObjectGraphType Input { get; }

    private static InboundMessageRow M(object source) => (InboundMessageRow)source;

    private static InboundSettingsRow S(object source) => (InboundSettingsRow)source;
}
