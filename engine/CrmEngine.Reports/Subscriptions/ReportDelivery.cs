using System.Globalization;
using System.Net;
using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files;
using CrmEngine.GraphQL.Execution.Export;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Messaging.Storage;
using CrmEngine.Reports.Definitions;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Reports.Subscriptions;

/// <summary>
/// Delivers a subscription once: the report is run for each user recipient with that user's rights,
/// and once with the subscriber's rights for the e-mail addresses; each run is attached in the
/// subscription's formats and queued through the messaging service (an e-mail per recipient). A run
/// that fails for one recipient (a user who lost sight of the report, a field they can't read)
/// doesn't stop the others; how it went is recorded on the subscription.
/// </summary>
public sealed class ReportDelivery(ReportService reports, IdentityDirectory directory, FilesService files, MessageOutbox outbox, TimeProvider time, ILogger<ReportDelivery> logger)
{
    public const string Purpose = "report";

    public const string CsvType = "text/csv";

    /// <summary>Runs the subscription for its due time and records the outcome; nothing is thrown for a failed delivery.</summary>
    public async Task DeliverAsync(TenantStore store, Guid subscriptionId, DateTime due, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var subscription = await context.Set<ReportSubscriptionRow>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription is null)
        {
            return;
        }

        var (outcome, error) = await RunAsync(store, subscription, due, cancellationToken);
        var now = time.UtcNow();
        await context.Set<ReportSubscriptionRow>().Where(s => s.Id == subscriptionId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.LastRunAt, now)
            .SetProperty(r => r.LastOutcome, outcome.ToString())
            .SetProperty(r => r.LastError, error), cancellationToken);
    }

    private async Task<(DeliveryOutcome Outcome, string? Error)> RunAsync(TenantStore store, ReportSubscriptionRow subscription, DateTime due, CancellationToken cancellationToken)
    {
        var report = await ReadReportAsync(store, subscription.ReportId, cancellationToken);
        if (report is null)
        {
            return (DeliveryOutcome.Failed, "The report was deleted.");
        }

        var recipients = DeliveryRecipients.Read(subscription.Recipients);
        var tenant = await directory.GetAsync(store, cancellationToken);
        // The addresses first, under the subscriber's rights; then each user under their own.
        var runs = new List<(Guid RunAs, IReadOnlyList<string> To, string Who)>();
        if (recipients.Emails.Count > 0)
        {
            runs.Add((subscription.SubscriberId, recipients.Emails, string.Join(", ", recipients.Emails)));
        }

        foreach (var user in recipients.Users)
        {
            runs.Add((user, tenant.Users.TryGetValue(user, out var row) && row.Active ? [row.Email] : [], tenant.Users.GetValueOrDefault(user)?.Email ?? user.ToString()));
        }

        var failures = new List<string>();
        var sent = 0;
        foreach (var (runAs, to, who) in runs)
        {
            try
            {
                sent += await DeliverAsync(store, tenant, subscription, report, runAs, to, due, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Report subscription {Subscription} in tenant {Tenant} could not be delivered to {Who}.", subscription.Id, store.TenantId, who);
                failures.Add($"{who}: {e.Message}");
            }
        }

        var error = failures.Count == 0 ? null : string.Join(" | ", failures);
        return (failures.Count, sent) switch
        {
            (0, 0) => (DeliveryOutcome.Skipped, null),
            (0, _) => (DeliveryOutcome.Sent, null),
            (_, 0) => (DeliveryOutcome.Failed, error),
            _ => (DeliveryOutcome.PartlySent, error),
        };
    }

    /// <summary>Runs the report as <paramref name="runAs"/> and queues it to <paramref name="to"/>; how many e-mails were queued (none when skipped for having no rows).</summary>
    private async Task<int> DeliverAsync(TenantStore store, TenantDirectory tenant, ReportSubscriptionRow subscription, ReportRow report, Guid runAs, IReadOnlyList<string> to, DateTime due, CancellationToken cancellationToken)
    {
        var subscriber = runAs == subscription.SubscriberId;
        if (tenant.Users.TryGetValue(runAs, out var user) ? !user.Active : !subscriber)
        {
            // A subscriber who is no user of the directory is an integration's key: it runs with its roles.
            throw new InvalidOperationException(subscriber ? "The subscriber is no longer an active user." : "The user is no longer active.");
        }

        var session = SessionOf(store, tenant, runAs, subscriber ? subscription.SubscriberRoles.Split(',', StringSplitOptions.RemoveEmptyEntries) : []);
        if (!ReportSharing.Read(report.Sharing).Reaches(session, report.OwnerId))
        {
            throw new InvalidOperationException("The report is no longer shared with them.");
        }

        var result = await reports.RunAsync(session, report, null, null, cancellationToken);
        // A report of totals alone has rows when it counted records.
        var hasRows = result.Rows.Count > 0 || result.Definition is { GroupBy.Count: 0, Columns.Count: 0 } && result.Totals.Count > 0;
        if (subscription.OnlyWhenRows && !hasRows)
        {
            return 0;
        }

        var table = ReportTable.From(result);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(due, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(DeliverySchedule.Read(subscription.Schedule).TimeZone));
        var stem = FileStem(report.Name) + "-" + local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var attachments = new List<MessageAttachment>();
        foreach (var format in DeliveryRecipients.ReadFormats(subscription.Formats))
        {
            attachments.Add(await StoreAsync(session, table, format, stem, cancellationToken));
        }

        var when = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var rows = result.Rows.Count.ToString(CultureInfo.InvariantCulture);
        var subject = $"{report.Name} ({when})";
        var name = WebUtility.HtmlEncode(report.Name);
        var html = $"<p>{name}: {rows} row(s){(result.HasMoreRows ? ", more left out" : string.Empty)}, as of {when}.</p><p>{name}：{rows} 行，截至 {when}。</p>";
        var mails = to.Select(address => new EngineMail("report", report.Id, Purpose, address, subject, html, attachments)).ToList();
        await outbox.EnqueueMailAsync(session, mails, cancellationToken);
        return mails.Count;
    }

    /// <summary>A session of <paramref name="user"/> with their roles in the tenant (and <paramref name="roles"/>, a credential's), as when they call the API.</summary>
    public static CrmSession SessionOf(TenantStore store, TenantDirectory tenant, Guid user, IReadOnlyList<string> roles)
    {
        var principal = new CrmPrincipal(store.TenantId, user, null, roles);
        return new CrmSession(store, principal, new Permissions(principal, tenant));
    }

    /// <summary>Writes the table in a format and stores it as a file of the run's user, for the e-mail to carry.</summary>
    private async Task<MessageAttachment> StoreAsync(CrmSession session, ReportTable table, ReportFormat format, string stem, CancellationToken cancellationToken)
    {
        var name = stem + "." + format.ToString().ToLowerInvariant();
        var path = Path.Combine(Path.GetTempPath(), "crm-report-" + Guid.NewGuid().ToString("N") + "." + format.ToString().ToLowerInvariant());
        try
        {
            if (format == ReportFormat.Csv)
            {
                await using var output = File.Create(path);
                await ExportWriters.WriteCsvAsync(output, table.Columns, Pages(table), cancellationToken);
            }
            else
            {
                ExportWriters.WriteXlsx(path, table.Columns, [table.Rows.ToList()]);
            }

            await using var content = File.OpenRead(path);
            var file = await files.StoreAsync(session, content, name, cancellationToken);
            // A CSV sniffs as plain text; it is sent as what it is.
            return new MessageAttachment(file.Id, file.Name, format == ReportFormat.Csv ? CsvType : file.ContentType);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async IAsyncEnumerable<List<object?[]>> Pages(ReportTable table)
    {
        await Task.CompletedTask;
        yield return table.Rows.ToList();
    }

    private static async Task<ReportRow?> ReadReportAsync(TenantStore store, Guid id, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.Set<ReportRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>A report name as a file name: characters a file system refuses become '-'.</summary>
    private static string FileStem(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['/', '\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var stem = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '-' : c).ToArray()).Trim();
        return stem.Length == 0 ? "report" : stem[..Math.Min(stem.Length, 80)];
    }
}
