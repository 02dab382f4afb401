namespace CrmEngine.Inbound.Storage;

/// <summary>
/// One received message (crm_inbound_message): the log admins query, and the dedupe key, unique per
/// tenant, that makes a message delivered twice one event.
/// </summary>
public sealed class InboundMessageRow
{
    public Guid Id { get; set; }

    /// <summary>The Message-ID without angle brackets, or <c>sha256:</c> and the content's hash when it has none; unique.</summary>
    public required string MessageKey { get; set; }

    /// <summary>"smtp" or "imap".</summary>
    public required string Source { get; set; }

    public required string FromAddress { get; set; }

    /// <summary>The tenant's addresses it was delivered to, comma-separated.</summary>
    public required string DeliveredTo { get; set; }

    public required string Subject { get; set; }

    public string? InReplyTo { get; set; }

    /// <summary>The References header's ids, space-separated.</summary>
    public string? References { get; set; }

    /// <summary>Its size in bytes as received.</summary>
    public int Size { get; set; }

    public int Attachments { get; set; }

    /// <summary>Plugin handlers that failed on it, comma-separated with the correlation id of their logged failure; null when none did.</summary>
    public string? HandlerErrors { get; set; }

    /// <summary>How many plugin handlers it was handed to.</summary>
    public int Handlers { get; set; }

    public DateTime ReceivedAt { get; set; }
}

/// <summary>
/// The tenant's inbound settings (crm_inbound_settings, one row): what the SMTP listener accepts for it,
/// and the IMAP mailbox polled for it with where the polling stands.
/// </summary>
public sealed class InboundSettingsRow
{
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    /// <summary>Domains whose every address is the tenant's (lowercase, comma-separated).</summary>
    public string Domains { get; set; } = string.Empty;

    /// <summary>Single addresses that are the tenant's (lowercase, comma-separated).</summary>
    public string Addresses { get; set; } = string.Empty;

    public bool ImapEnabled { get; set; }

    public string? ImapHost { get; set; }

    public int? ImapPort { get; set; }

    /// <summary>One of outbound messaging's <see cref="Messaging.Storage.TlsMode"/> names.</summary>
    public string? ImapTlsMode { get; set; }

    public string? ImapUsername { get; set; }

    /// <summary>The password, protected with the host's Data Protection key ring; never returned.</summary>
    public string? ImapSecret { get; set; }

    public string ImapFolder { get; set; } = "INBOX";

    /// <summary>The folder's UIDVALIDITY when <see cref="ImapLastUid"/> was recorded: when it changes, the UIDs start over.</summary>
    public long ImapUidValidity { get; set; }

    /// <summary>The highest UID handled (or skipped) in the folder.</summary>
    public long ImapLastUid { get; set; }

    public DateTime? ImapPolledAt { get; set; }

    /// <summary>Why the last poll failed; null after one that worked.</summary>
    public string? ImapError { get; set; }

    public DateTime UpdatedAt { get; set; }
}
