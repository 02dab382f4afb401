using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Reports.Running;
using CrmEngine.Reports.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Reports.Definitions;

/// <summary>
/// A tenant's saved reports. Anyone may save reports; a report is its owner's to change and delete
/// (admins may change and delete any). A definition is checked whole when saved and refused with
/// every typed error at once, nothing written.
/// </summary>
public sealed class ReportService(ReportRunner runner, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    public const int MaxNameLength = 100;

    /// <summary>The reports the caller may see: their own, and every report for admins.</summary>
    public async Task<IReadOnlyList<ReportRow>> ListAsync(CrmSession session, string? entity, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var me = session.Principal.UserId;
        var admin = session.Permissions.IsAdmin;
        return await context.Set<ReportRow>().AsNoTracking()
            .Where(r => (admin || r.OwnerId == me) && (entity == null || r.Entity == entity))
            .OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>A report the caller may see; null when there is none (or it is someone else's).</summary>
    public async Task<ReportRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var row = await context.Set<ReportRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return row is not null && Sees(session, row) ? row : null;
    }

    /// <summary>Saves a new report (no id) or changes one the caller may change.</summary>
    public async Task<ReportRow> SaveAsync(CrmSession session, Guid? id, string? name, ReportDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var context = session.CreateContext();
        var row = id is { } existing
            ? await context.Set<ReportRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == existing, cancellationToken) is { } found && Sees(session, found) ? found : throw NotFound(existing)
            : null;

        var errors = new List<CrmError>();
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A report needs a name.", "name"));
        }
        else if (trimmed.Length > MaxNameLength)
        {
            errors.Add(new CrmError(ErrorCodes.TooLong, $"A report's name is at most {MaxNameLength} characters.", "name"));
        }

        errors.AddRange(ReportValidator.Check(session, definition, options.Value.MaxAggregateGroups, now));
        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        if (row is null)
        {
            row = new ReportRow { Id = Guid.CreateVersion7(now), Name = trimmed, Entity = definition.Entity, Definition = definition.Write(), OwnerId = session.Principal.UserId, CreatedAt = now, UpdatedAt = now };
            context.Add(row);
        }
        else
        {
            row.Name = trimmed;
            row.Entity = definition.Entity;
            row.Definition = definition.Write();
            row.UpdatedAt = now;
        }

        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    public async Task<ReportRow> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var row = await context.Set<ReportRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null || !Sees(session, row))
        {
            throw NotFound(id);
        }

        context.Remove(row);
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Runs a report the caller may see, with the caller's rights.</summary>
    public async Task<ReportResult> RunAsync(CrmSession session, Guid id, IDictionary<string, object?>? filter, string? locale, CancellationToken cancellationToken)
    {
        var row = await GetAsync(session, id, cancellationToken) ?? throw NotFound(id);
        return await runner.RunAsync(session, ReportDefinition.Read(row.Definition), filter, locale, cancellationToken);
    }

    private static bool Sees(CrmSession session, ReportRow row) => session.Permissions.IsAdmin || row.OwnerId == session.Principal.UserId;

    private static CrmException NotFound(Guid id) => new(ErrorCodes.NotFound, $"There is no report {id} you can see.", "id");
}
