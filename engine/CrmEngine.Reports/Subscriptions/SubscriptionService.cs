using System.Net.Mail;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Reports.Definitions;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Reports.Subscriptions;

/// <summary>A subscription as asked: the report, recipients (user global ids, addresses), formats, the schedule (the time as HH:mm) and flags.</summary>
public sealed record SubscriptionInput(
    string ReportId,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Emails,
    IReadOnlyList<ReportFormat> Formats,
    DeliveryFrequency Frequency,
    string At,
    string? TimeZone,
    IReadOnlyList<DayOfWeek> Weekdays,
    int? DayOfMonth,
    bool OnlyWhenRows,
    bool Active);

/// <summary>
/// Report subscriptions: scheduled deliveries of a saved report by e-mail. Only someone who can run
/// the report subscribes to it (they see it, and it runs for them: a field they can't read refuses
/// the subscription); user recipients must see the report too. A subscription is its subscriber's:
/// they (and admins) list, change and delete it. Everything asked is checked at once and refused with
/// every typed error, nothing written.
/// </summary>
public sealed class SubscriptionService(ReportService reports, IdentityDirectory directory, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    /// <summary>The caller's subscriptions (admins: everyone's), of one report when named, oldest first.</summary>
    public async Task<IReadOnlyList<ReportSubscriptionRow>> ListAsync(CrmSession session, Guid? reportId, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var query = context.Set<ReportSubscriptionRow>().AsNoTracking();
        if (!session.Permissions.IsAdmin)
        {
            var me = session.Principal.UserId;
            query = query.Where(s => s.SubscriberId == me);
        }

        if (reportId is { } report)
        {
            query = query.Where(s => s.ReportId == report);
        }

        return await query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Creates a subscription (no id) or replaces one of the caller's whole.</summary>
    public async Task<ReportSubscriptionRow> SaveAsync(CrmSession session, Guid? id, SubscriptionInput input, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        await using var context = session.CreateContext();
        var row = id is { } existing
            ? await ChangeableAsync(context, session, existing, cancellationToken)
            : new ReportSubscriptionRow { Id = Guid.CreateVersion7(now), SubscriberId = session.Principal.UserId, SubscriberRoles = string.Empty, Recipients = string.Empty, Formats = string.Empty, Schedule = string.Empty, CreatedAt = now };

        var errors = new List<CrmError>();
        var report = await RunnableReportAsync(session, input.ReportId, errors, cancellationToken);
        var recipients = await RecipientsAsync(session, input, report, errors, cancellationToken);
        if (input.Formats.Count == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "Name at least one format: CSV, XLSX or both.", "formats"));
        }

        var schedule = Schedule(input, errors);
        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        row.ReportId = report!.Id;
        if (row.SubscriberId == session.Principal.UserId)
        {
            row.SubscriberRoles = string.Join(',', session.Principal.Roles);
        }

        row.Recipients = recipients.Write();
        row.Formats = DeliveryRecipients.WriteFormats(input.Formats);
        row.Schedule = schedule!.Write();
        row.OnlyWhenRows = input.OnlyWhenRows;
        row.Active = input.Active;
        row.NextRunAt = input.Active ? schedule.Next(now) : null;
        row.UpdatedAt = now;
        if (id is null)
        {
            context.Add(row);
        }

        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    public async Task<ReportSubscriptionRow> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var row = await ChangeableAsync(context, session, id, cancellationToken);
        context.Remove(row);
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>A subscription of the caller's (admins: anyone's), tracked; NOT_FOUND otherwise, as for a made-up id.</summary>
    private static async Task<ReportSubscriptionRow> ChangeableAsync(DbContext context, CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        var row = await context.Set<ReportSubscriptionRow>().AsTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        return row is not null && (session.Permissions.IsAdmin || row.SubscriberId == session.Principal.UserId)
            ? row
            : throw new CrmException(ErrorCodes.NotFound, $"There is no report subscription {id} of yours.", "id");
    }

    /// <summary>The report, if the caller sees it and it runs for them (its errors, FORBIDDEN for a field they can't read, otherwise).</summary>
    private async Task<ReportRow?> RunnableReportAsync(CrmSession session, string reportId, List<CrmError> errors, CancellationToken cancellationToken)
    {
        if (!GlobalId.TryRead(reportId, "Report", out var id))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidId, $"'{reportId}' is not a Report id.", "reportId"));
            return null;
        }

        if (await reports.GetAsync(session, id, cancellationToken) is not { } report)
        {
            errors.Add(new CrmError(ErrorCodes.NotFound, $"There is no report {id} you can see.", "reportId"));
            return null;
        }

        try
        {
            await reports.RunAsync(session, report, null, null, cancellationToken);
            return report;
        }
        catch (CrmException e)
        {
            errors.AddRange(e.Errors.Select(x => x with { Field = "reportId" }));
            return null;
        }
    }

    private async Task<DeliveryRecipients> RecipientsAsync(CrmSession session, SubscriptionInput input, ReportRow? report, List<CrmError> errors, CancellationToken cancellationToken)
    {
        if (input.Users.Count + input.Emails.Count == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "Name at least one recipient: a user or an e-mail address.", "recipients"));
        }
        else if (input.Users.Count + input.Emails.Count > DeliveryRecipients.Max)
        {
            errors.Add(new CrmError(ErrorCodes.TooManyItems, $"A subscription has at most {DeliveryRecipients.Max} recipients.", "recipients"));
        }

        var emails = new List<string>();
        for (var i = 0; i < input.Emails.Count; i++)
        {
            var email = input.Emails[i].Trim();
            // A bare address: no display name, no list, nothing the SMTP envelope would read otherwise.
            if (MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && parsed.DisplayName.Length == 0 && email.Contains('.', StringComparison.Ordinal))
            {
                emails.Add(email.ToLowerInvariant());
            }
            else
            {
                errors.Add(new CrmError(ErrorCodes.InvalidRecipient, $"'{input.Emails[i]}' is not an e-mail address.", $"recipients.emails[{i}]"));
            }
        }

        var tenant = await directory.GetAsync(session.Store, cancellationToken);
        var users = new List<Guid>();
        for (var i = 0; i < input.Users.Count; i++)
        {
            var field = $"recipients.users[{i}]";
            if (!GlobalId.TryRead(input.Users[i], GlobalId.UserType, out var user))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidId, $"'{input.Users[i]}' is not a user id.", field));
            }
            else if (!tenant.Users.TryGetValue(user, out var row) || !row.Active)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidRecipient, $"There is no active user {user}.", field));
            }
            else if (report is not null && !ReportSharing.Read(report.Sharing).Reaches(ReportDelivery.SessionOf(session.Store, tenant, user, []), report.OwnerId))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidRecipient, $"{row.Email} doesn't see the report: share it with them first.", field));
            }
            else
            {
                users.Add(user);
            }
        }

        return new DeliveryRecipients(users.Distinct().ToList(), emails.Distinct(StringComparer.Ordinal).ToList());
    }

    private DeliverySchedule? Schedule(SubscriptionInput input, List<CrmError> errors)
    {
        if (!TimeOnly.TryParseExact(input.At, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidSchedule, $"'{input.At}' is not a time of day as HH:mm (00:00 to 23:59).", "schedule.at"));
            return null;
        }

        var schedule = new DeliverySchedule(input.Frequency, at, input.TimeZone ?? options.Value.TimeZone, input.Weekdays.Distinct().Order().ToList(), input.DayOfMonth);
        var wrong = schedule.Check();
        errors.AddRange(wrong);
        return wrong.Count == 0 ? schedule : null;
    }
}
