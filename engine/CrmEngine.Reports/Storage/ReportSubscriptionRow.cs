namespace CrmEngine.Reports.Storage;

/// <summary>
/// A report's scheduled delivery by e-mail, as stored: who subscribed (the subscriber, whose rights
/// run the report for outside addresses), to whom (<see cref="Subscriptions.DeliveryRecipients"/> as
/// JSON), in which formats, when (<see cref="Subscriptions.DeliverySchedule"/> as JSON), and how its
/// runs went. <see cref="NextRunAt"/> is null while it is inactive; <see cref="RunningDueAt"/> marks
/// a run claimed and not yet over.
/// </summary>
public sealed class ReportSubscriptionRow
{
    public Guid Id { get; set; }

    public Guid ReportId { get; set; }

    public Guid SubscriberId { get; set; }

    /// <summary>
    /// The roles the subscriber's credential carried when they saved it (comma-separated), beside their
    /// roles in the tenant: an integration's API key is no user of the directory, its roles are its own.
    /// </summary>
    public required string SubscriberRoles { get; set; }

    public required string Recipients { get; set; }

    /// <summary>"csv", "xlsx" or "csv,xlsx".</summary>
    public required string Formats { get; set; }

    public required string Schedule { get; set; }

    /// <summary>Skip a delivery when the report has no rows (nothing is sent; the run is recorded as skipped).</summary>
    public bool OnlyWhenRows { get; set; }

    public bool Active { get; set; }

    public DateTime? NextRunAt { get; set; }

    public DateTime? RunningDueAt { get; set; }

    public DateTime? LastRunAt { get; set; }

    /// <summary>One of <see cref="Subscriptions.DeliveryOutcome"/>'s names, after the first run.</summary>
    public string? LastOutcome { get; set; }

    /// <summary>Why the last run failed, or which recipients it could not reach.</summary>
    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
