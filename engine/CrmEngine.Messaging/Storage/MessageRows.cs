namespace CrmEngine.Messaging.Storage;

/// <summary>
/// One message: queued in the writer's transaction with its content fixed (rendered then), sent by
/// the delivery loop, and kept as the log of what was sent to whom about which record.
/// </summary>
public sealed class MessageRow
{
    public Guid Id { get; set; }

    /// <summary>One of <see cref="Sdk.Messaging.MessageChannel"/>'s names, lowercase.</summary>
    public required string Channel { get; set; }

    /// <summary>Why it is sent ("marketing", "service", "transactional", ...): what a recipient can opt out of.</summary>
    public required string Purpose { get; set; }

    /// <summary>The entity of the record the message concerns (its recipient).</summary>
    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    /// <summary>The address it goes to: an e-mail address, a phone number, or empty for the webhook channel.</summary>
    public required string Recipient { get; set; }

    /// <summary>The template it was rendered from, if any.</summary>
    public string? Template { get; set; }

    /// <summary>The language variant used ("en", "zh-CN").</summary>
    public required string Language { get; set; }

    public string? Subject { get; set; }

    /// <summary>The sanitized HTML body (e-mail only).</summary>
    public string? Html { get; set; }

    /// <summary>The plain-text body: the e-mail's alternative, the SMS text, the webhook's body text.</summary>
    public required string Text { get; set; }

    /// <summary>
    /// The files sent with it (e-mail only), as <see cref="MessageAttachments"/> JSON: each file's id in
    /// the files service's storage, and its name and type as they were when it was queued.
    /// </summary>
    public string? Attachments { get; set; }

    /// <summary>Extra e-mail header fields, as <see cref="Outbox.MessageHeaders"/> JSON (null when none).</summary>
    public string? Headers { get; set; }

    /// <summary>One of <see cref="MessageStatus"/>'s names.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>The provider's id for the sent message (the SMTP server's answer, the gateway's message id).</summary>
    public string? ProviderId { get; set; }

    public DateTime? SentAt { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A channel's sender settings for the tenant; secrets protected with the host's Data Protection key ring and never returned.</summary>
public sealed class ChannelSettingsRow
{
    /// <summary>One of <see cref="Sdk.Messaging.MessageChannel"/>'s names, lowercase.</summary>
    public required string Channel { get; set; }

    public bool Enabled { get; set; }

    /// <summary>E-mail: the SMTP server.</summary>
    public string? Host { get; set; }

    public int? Port { get; set; }

    /// <summary>E-mail: one of <see cref="TlsMode"/>'s names.</summary>
    public string? TlsMode { get; set; }

    public string? Username { get; set; }

    /// <summary>The SMTP password, or the HTTP channels' Authorization header value, protected; null when none.</summary>
    public string? Secret { get; set; }

    /// <summary>E-mail: the From address ("Name &lt;address&gt;" or a bare address).</summary>
    public string? FromAddress { get; set; }

    /// <summary>SMS and webhook: the URL messages are posted to.</summary>
    public string? Url { get; set; }

    /// <summary>SMS: the JSON body posted, a Liquid template over <c>to</c>, <c>text</c>, <c>id</c>; null posts the default shape.</summary>
    public string? BodyTemplate { get; set; }

    /// <summary>Messages the channel sends a day (UTC) at most; 0 for no cap.</summary>
    public int DailyCap { get; set; }

    /// <summary>Messages the channel sends a second at most; 0 for no throttle.</summary>
    public int PerSecond { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A template's variant in one language.</summary>
public sealed class TemplateRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>"en" or "zh-CN".</summary>
    public required string Language { get; set; }

    public string? Subject { get; set; }

    /// <summary>The Liquid source of the body: HTML for e-mail, text for SMS and webhooks.</summary>
    public required string Body { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>Where a message stands.</summary>
public enum MessageStatus
{
    /// <summary>Waiting to be sent (<see cref="MessageRow.NextAttemptAt"/>).</summary>
    Queued,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>Every attempt failed transiently (connection failures, 4xx SMTP, HTTP 5xx or timeouts).</summary>
    Failed,

    /// <summary>The provider refused it for good (5xx SMTP, HTTP 4xx).</summary>
    Bounced,
}

/// <summary>How the SMTP connection is secured.</summary>
public enum TlsMode
{
    /// <summary>Plain text (loopback relays, tests).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which must be offered.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Ssl,
}
