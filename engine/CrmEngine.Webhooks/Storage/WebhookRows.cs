namespace CrmEngine.Webhooks.Storage;

/// <summary>A tenant's subscription: where to send which changes of which entity, and how the endpoint has been doing.</summary>
public sealed class WebhookRow
{
    public Guid Id { get; set; }

    public required string Url { get; set; }

    public required string Entity { get; set; }

    /// <summary>Comma-separated event names (create, update, delete, restore).</summary>
    public required string Events { get; set; }

    /// <summary>JSON of the record filter, in the list queries' shape; null sends every change.</summary>
    public string? Filter { get; set; }

    public bool Active { get; set; }

    /// <summary>The signing secret, protected with the host's Data Protection key ring; never returned.</summary>
    public required string Secret { get; set; }

    /// <summary>Failed attempts in a row, over all its deliveries; reset by a success or by re-enabling.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Why the endpoint was disabled automatically; null while active or disabled by an admin.</summary>
    public string? DisabledReason { get; set; }

    public DateTime? DisabledAt { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One change to send to one webhook: the body is fixed when the change is handled, so every attempt
/// (and a redelivery) sends the same bytes; the id is the idempotency key receivers see.
/// </summary>
public sealed class WebhookDeliveryRow
{
    public Guid Id { get; set; }

    public Guid WebhookId { get; set; }

    /// <summary>The outbox row of the change, so a change handled twice is queued once per webhook.</summary>
    public long OutboxSeq { get; set; }

    public required string Event { get; set; }

    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    public required string Body { get; set; }

    /// <summary>One of <see cref="DeliveryStatus"/>'s names.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (<see cref="WebhookDeliveryRow.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed; dead-lettered until an admin redelivers it.</summary>
    Dead,
}
