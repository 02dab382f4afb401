using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Messaging;

/// <summary>How a message travels.</summary>
public enum MessageChannel
{
    /// <summary>E-mail, to the record's e-mail field (or <see cref="OutboundMessage.To"/>).</summary>
    Email,

    /// <summary>SMS through the tenant's gateway, to the record's phone field (or <see cref="OutboundMessage.To"/>).</summary>
    Sms,

    /// <summary>A signed JSON POST to the tenant's messaging webhook.</summary>
    Webhook,
}

/// <summary>
/// A message to a record: from a template the tenant's admins saved (<see cref="Template"/>; the
/// recipient's language picks its en or zh-CN variant, merge fields come from the record and its
/// lookups), or literal (<see cref="Subject"/> and <see cref="Body"/>: HTML for e-mail, text otherwise).
/// </summary>
/// <param name="Channel">How it travels.</param>
/// <param name="Entity">The recipient record's entity.</param>
/// <param name="RecordId">The recipient record.</param>
/// <param name="Purpose">Why it is sent ("marketing", "service", "transactional", ...): what a recipient can opt out of.</param>
public sealed record OutboundMessage(MessageChannel Channel, string Entity, Guid RecordId, string Purpose)
{
    /// <summary>The template's name; null for a literal message.</summary>
    public string? Template { get; init; }

    /// <summary>A literal message's subject (required for e-mail).</summary>
    public string? Subject { get; init; }

    /// <summary>A literal message's body.</summary>
    public string? Body { get; init; }

    /// <summary>An address to use instead of the record's own.</summary>
    public string? To { get; init; }

    /// <summary>
    /// Extra header fields of an e-mail (such as <c>List-Unsubscribe</c>), by name; null or empty for
    /// none. At most 10; a name is letters, digits and '-' and may not be one the service writes
    /// itself (From, To, Cc, Bcc, Subject, Date, Message-ID, MIME-Version, Content-*, X-Crm-*);
    /// a value is one line. Other channels refuse headers (INVALID_VALUE).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>What <see cref="IMessaging.SendAsync"/> did: the queued message's id, or why nothing was queued.</summary>
/// <param name="MessageId">The message's id; null when refused.</param>
/// <param name="Errors">Why it was refused (RECIPIENT_OPTED_OUT, NO_RECIPIENT_ADDRESS, TEMPLATE_NOT_FOUND, NOT_FOUND, ...); empty when queued.</param>
public sealed record MessageOutcome(Guid? MessageId, IReadOnlyList<SdkError> Errors)
{
    /// <summary>True when the message was queued.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Sends messages to records through the tenant's channels (docs/messaging.md). The service itself
/// refuses a recipient who opted out of the purpose. Inside a write or a plugin mutation the message
/// is queued in its transaction: it is sent only if everything commits, once, with retries.
/// </summary>
public interface IMessaging
{
    /// <summary>Queues a message to a record the caller can read.</summary>
    Task<MessageOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default);
}
