namespace CrmEngine.Sdk.Messaging;

/// <summary>Where a queued message stands in the engine's outbox (docs/messaging.md, Delivery).</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Queued,

    /// <summary>The provider accepted it (an SMTP 2xx reply, an HTTP 2xx).</summary>
    Sent,

    /// <summary>Every attempt failed transiently (4xx SMTP replies, connection failures, timeouts) up to the last one.</summary>
    Failed,

    /// <summary>The provider refused it for good (a 5xx SMTP reply, an address that doesn't parse, an HTTP 4xx).</summary>
    Bounced,
}

/// <summary>How one message went.</summary>
/// <param name="MessageId">The message's id, as <see cref="MessageOutcome.MessageId"/> gave it.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Error">The last attempt's error (the SMTP server's refusal for a bounce); null when none failed.</param>
/// <param name="SentAt">When the provider accepted it (UTC); null until then.</param>
public sealed record MessageDelivery(Guid MessageId, DeliveryStatus Status, string? Error, DateTime? SentAt);

/// <summary>
/// Reads how messages a plugin queued through <see cref="IMessaging"/> went: sent, bounced, failed or
/// still queued. Take it in a constructor (jobs, hooks, operations, endpoints) and keep the ids
/// <see cref="IMessaging.SendAsync"/> returned; a module learns of bounces by asking about its
/// messages still queued (a job does it on a schedule).
/// </summary>
public interface IMessageDeliveries
{
    /// <summary>
    /// The deliveries of the messages among <paramref name="messageIds"/> that exist on the tenant, in no
    /// particular order; ids of no message are left out.
    /// </summary>
    Task<IReadOnlyList<MessageDelivery>> GetAsync(string tenantId, IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken = default);
}
