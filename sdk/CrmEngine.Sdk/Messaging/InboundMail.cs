using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Sdk.Messaging;

/// <summary>
/// Receives the e-mail a tenant gets (through the host's SMTP listener or its polled IMAP mailbox,
/// docs/inbound-email.md), for every tenant that enables the plugin. Each message reaches each handler
/// once, however often it is delivered (a sender's retry, a second poll, two hosts): the engine keeps
/// one entry per Message-ID and tenant. A handler that throws is logged with the message; the message
/// is not handed to it again.
/// </summary>
public interface IInboundMailHandler
{
    /// <summary>Handles one received message, as the tenant's system identity.</summary>
    Task HandleAsync(IInboundMailContext context, InboundMail mail, CancellationToken cancellationToken);
}

/// <summary>What an inbound mail handler sees.</summary>
public interface IInboundMailContext
{
    /// <summary>The engine's system identity on the tenant.</summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, as the system identity.</summary>
    IRecordApi Records { get; }

    /// <summary>The tenant's users and teams.</summary>
    IUserDirectory Directory { get; }

    /// <summary>Notifications to users.</summary>
    Notifications.INotifier Notifications { get; }

    /// <summary>Messages to records (a reply, an acknowledgement).</summary>
    IMessaging Messaging { get; }

    /// <summary>The plugin's settings on this tenant.</summary>
    IPluginSettings Settings { get; }
}

/// <summary>Where a message came in.</summary>
public enum InboundMailSource
{
    /// <summary>Delivered to the host's SMTP listener.</summary>
    Smtp,

    /// <summary>Fetched from the tenant's IMAP mailbox.</summary>
    Imap,
}

/// <summary>An address of a received message.</summary>
/// <param name="Address">The address, as written (<c>someone@example.com</c>).</param>
/// <param name="Name">The display name, if any.</param>
public sealed record MailAddress(string Address, string? Name);

/// <summary>
/// An attachment of a received message. Stored through the files service as a pending file of the
/// system identity (write <see cref="FileId"/> into an ATTACHMENT field to keep it with a record);
/// one the tenant's file limits refuse (too large, a content type not allowed) is listed without a file.
/// </summary>
/// <param name="Name">The file name the sender gave.</param>
/// <param name="ContentType">The type sniffed from its content when stored, else the one the sender declared.</param>
/// <param name="Size">Its size in bytes, decoded.</param>
/// <param name="FileId">The stored file; null when the file limits refused it.</param>
public sealed record MailAttachment(string Name, string ContentType, long Size, Guid? FileId);

/// <summary>A received e-mail, parsed: addresses, subject, bodies, attachments and its threading headers.</summary>
public sealed record InboundMail
{
    /// <summary>The inbound log entry's id (what admins see in <c>inboundMessages</c>).</summary>
    public required Guid Id { get; init; }

    /// <summary>Where it came in.</summary>
    public required InboundMailSource Source { get; init; }

    /// <summary>Its Message-ID without angle brackets; when the sender gave none, <c>sha256:</c> and the hash of its content.</summary>
    public required string MessageId { get; init; }

    /// <summary>The In-Reply-To header's message id (without angle brackets): the message this one answers.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The References header's message ids, oldest first: the thread it belongs to.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The sender (the From header).</summary>
    public required MailAddress From { get; init; }

    /// <summary>The To header's addresses.</summary>
    public IReadOnlyList<MailAddress> To { get; init; } = [];

    /// <summary>The Cc header's addresses.</summary>
    public IReadOnlyList<MailAddress> Cc { get; init; } = [];

    /// <summary>The addresses of the tenant it was delivered to (SMTP: the accepted recipients; IMAP: the mailbox's user).</summary>
    public IReadOnlyList<string> DeliveredTo { get; init; } = [];

    /// <summary>The subject; empty when there is none.</summary>
    public string Subject { get; init; } = string.Empty;

    /// <summary>The plain-text body: the text part, else text made from the HTML part.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>The HTML body, sanitized (no scripts, event handlers or <c>javascript:</c> links); null when it has none.</summary>
    public string? Html { get; init; }

    /// <summary>Its attachments.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];

    /// <summary>The Date header (UTC), else when it was received.</summary>
    public DateTime SentAt { get; init; }

    /// <summary>When the engine received it (UTC).</summary>
    public DateTime ReceivedAt { get; init; }

    /// <summary>
    /// The delivery status notification it carries (RFC 3464: a <c>multipart/report</c> with a
    /// <c>message/delivery-status</c> part), as a mail server sends back about a message it could not
    /// deliver; null for any other message.
    /// </summary>
    public DeliveryReport? DeliveryReport { get; init; }
}
