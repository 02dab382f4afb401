using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Reports.Running;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;

namespace CrmEngine.Reports.Definitions;

/// <summary>What a dashboard gives for one of its reports: the report and its result, or why there is none.</summary>
public sealed record DashboardItem(int Position, Guid ReportId, ReportRow? Report, ReportResult? Result, CrmError? Error);

/// <summary>
/// Dashboards: ordered sets of saved reports, in folders and shared like reports. A dashboard may
/// only name reports its saver can see; running it runs each report as the caller, so a report the
/// caller can't see (or whose fields they can't read) is an item with an error, not a failed run.
/// </summary>
public sealed class DashboardService(ReportService reports, SharedItems items, TimeProvider time)
{
    public const int MaxReports = 20;

    public Task<IReadOnlyList<DashboardRow>> ListAsync(CrmSession session, string? folder, CancellationToken cancellationToken) =>
        items.ListAsync<DashboardRow>(session, folder, null, cancellationToken);

    public Task<DashboardRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken) =>
        items.GetAsync<DashboardRow>(session, id, cancellationToken);

    public async Task<DashboardRow> SaveAsync(CrmSession session, Guid? id, SharedItemInput input, IReadOnlyList<Guid>? reportIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var context = session.CreateContext();
        var row = id is { } existing ? await items.ChangeableAsync<DashboardRow>(context, session, existing, cancellationToken) : null;
        var errors = new List<CrmError>();
        var ids = reportIds ?? (row is null ? [] : Reports(row));
        if (ids.Count is 0 or > MaxReports)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"A dashboard has 1 to {MaxReports} reports.", "reportIds"));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (await reports.GetAsync(session, ids[i], cancellationToken) is null)
            {
                errors.Add(new CrmError(ErrorCodes.NotFound, $"There is no report {ids[i]} you can see.", $"reportIds[{i}]"));
            }
        }

        row ??= new DashboardRow { Id = Guid.CreateVersion7(now), Name = string.Empty, ReportIds = "[]", Sharing = ReportSharing.Private.Write(), OwnerId = session.Principal.UserId, CreatedAt = now };
        await items.ApplyAsync(session, row, input, errors, cancellationToken);
        row.ReportIds = JsonSerializer.Serialize(ids);
        return await SharedItems.WriteAsync(context, row, id is null, errors, now, cancellationToken);
    }

    public Task<DashboardRow> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken) =>
        items.DeleteAsync<DashboardRow>(session, id, cancellationToken);

    /// <summary>Runs every report of a dashboard the caller sees, in order, each with the caller's rights.</summary>
    public async Task<IReadOnlyList<DashboardItem>> RunAsync(CrmSession session, Guid id, string? locale, CancellationToken cancellationToken)
    {
        var dashboard = await GetAsync(session, id, cancellationToken) ?? throw SharedItems.NotFound("dashboard", id);
        var results = new List<DashboardItem>();
        foreach (var (reportId, position) in Reports(dashboard).Select((r, i) => (r, i)))
        {
            var report = await reports.GetAsync(session, reportId, cancellationToken);
            try
            {
                results.Add(report is null
                    ? new DashboardItem(position, reportId, null, null, new CrmError(ErrorCodes.NotFound, $"There is no report {reportId} you can see.", "reportId"))
                    : new DashboardItem(position, reportId, report, await reports.RunAsync(session, report, null, locale, cancellationToken), null));
            }
            catch (CrmException e)
            {
                results.Add(new DashboardItem(position, reportId, report, null, e.Errors[0]));
            }
        }

        return results;
    }

    public static IReadOnlyList<Guid> Reports(DashboardRow row) => JsonSerializer.Deserialize<List<Guid>>(row.ReportIds) ?? [];
}
