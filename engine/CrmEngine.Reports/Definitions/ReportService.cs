using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Reports.Running;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using Microsoft.Extensions.Options;

namespace CrmEngine.Reports.Definitions;

/// <summary>
/// A tenant's saved reports. Anyone may save reports; a report is seen by its owner, admins and
/// whom it is shared with (<see cref="ReportSharing"/>), and changed or deleted by its owner and
/// admins. A definition is checked whole when saved and refused with every typed error at once,
/// nothing written.
/// </summary>
public sealed class ReportService(ReportRunner runner, SharedItems items, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    /// <summary>The reports the caller sees (of an entity, in a folder and below, when named), by name.</summary>
    public Task<IReadOnlyList<ReportRow>> ListAsync(CrmSession session, string? entity, string? folder, CancellationToken cancellationToken) =>
        items.ListAsync<ReportRow>(session, folder, entity is null ? null : q => q.Where(r => r.Entity == entity), cancellationToken);

    /// <summary>A report the caller sees; null when there is none (or it isn't shared with them).</summary>
    public Task<ReportRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken) =>
        items.GetAsync<ReportRow>(session, id, cancellationToken);

    /// <summary>Saves a new report (no id) or changes one the caller may change.</summary>
    public async Task<ReportRow> SaveAsync(CrmSession session, Guid? id, SharedItemInput input, ReportDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var context = session.CreateContext();
        var row = id is { } existing
            ? await items.ChangeableAsync<ReportRow>(context, session, existing, cancellationToken)
            : new ReportRow { Id = Guid.CreateVersion7(now), Name = string.Empty, Entity = definition.Entity, Definition = string.Empty, Sharing = ReportSharing.Private.Write(), OwnerId = session.Principal.UserId, CreatedAt = now };

        var errors = new List<CrmError>();
        await items.ApplyAsync(session, row, input, errors, cancellationToken);
        errors.AddRange(ReportValidator.Check(session, definition, options.Value.MaxAggregateGroups, now));
        row.Entity = definition.Entity;
        row.Definition = definition.Write();
        return await SharedItems.WriteAsync(context, row, id is null, errors, now, cancellationToken);
    }

    public Task<ReportRow> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken) =>
        items.DeleteAsync<ReportRow>(session, id, cancellationToken);

    /// <summary>Runs a report the caller sees, with the caller's rights.</summary>
    public async Task<ReportResult> RunAsync(CrmSession session, Guid id, IDictionary<string, object?>? filter, string? locale, CancellationToken cancellationToken)
    {
        var row = await GetAsync(session, id, cancellationToken) ?? throw SharedItems.NotFound("report", id);
        return await RunAsync(session, row, filter, locale, cancellationToken);
    }

    /// <summary>Runs a report already read for the caller.</summary>
    public Task<ReportResult> RunAsync(CrmSession session, ReportRow report, IDictionary<string, object?>? filter, string? locale, CancellationToken cancellationToken) =>
        runner.RunAsync(session, ReportDefinition.Read(report.Definition), filter, locale, cancellationToken);
}
