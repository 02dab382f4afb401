using System.Text.Json;
using CrmEngine.Reports.Definitions;

namespace CrmEngine.Reports.Subscriptions;

/// <summary>The formats a report is attached in.</summary>
public enum ReportFormat
{
    Csv,
    Xlsx,
}

/// <summary>How a subscription's last run went.</summary>
public enum DeliveryOutcome
{
    /// <summary>Every recipient's e-mail was queued.</summary>
    Sent,

    /// <summary>The report had no rows and the subscription asks for rows: nothing was sent.</summary>
    Skipped,

    /// <summary>Some recipients' e-mails were queued, others failed (see the last error).</summary>
    PartlySent,

    /// <summary>Nothing was sent (see the last error).</summary>
    Failed,
}

/// <summary>
/// Whom a report goes to: users of the tenant (each gets it run with their own rights) and e-mail
/// addresses (they get it run with the subscriber's rights).
/// </summary>
public sealed record DeliveryRecipients(IReadOnlyList<Guid> Users, IReadOnlyList<string> Emails)
{
    /// <summary>The most recipients (users and addresses together) a subscription has.</summary>
    public const int Max = 50;

    public string Write() => JsonSerializer.Serialize(this, ReportDefinition.Json);

    public static DeliveryRecipients Read(string json) => JsonSerializer.Deserialize<DeliveryRecipients>(json, ReportDefinition.Json)!;

    public static string WriteFormats(IEnumerable<ReportFormat> formats) =>
        string.Join(',', formats.Distinct().Order().Select(f => f.ToString().ToLowerInvariant()));

    public static IReadOnlyList<ReportFormat> ReadFormats(string formats) =>
        formats.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => Enum.Parse<ReportFormat>(f, ignoreCase: true)).ToList();
}
