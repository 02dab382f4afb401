using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Duplicates.Scanning;

/// <summary>The duplicate sets scans found: listed by rule and status, and dismissed as "not duplicates" (a later scan won't propose the same records again).</summary>
public sealed class DuplicateSets(TimeProvider time)
{
    public const int MaxPage = 500;

    /// <summary>A rule's sets in one status, in key order, a page at a time: <paramref name="after"/> is the key of the last set of the page before.</summary>
    public async Task<IReadOnlyList<DuplicateSetRow>> ListAsync(CrmSession session, Guid ruleId, DuplicateSetStatus status, int first, string? after, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var name = status.ToString();
        var query = context.Set<DuplicateSetRow>().AsNoTracking().Where(s => s.RuleId == ruleId && s.Status == name);
        if (after is not null)
        {
            query = query.Where(s => s.Key.CompareTo(after) > 0);
        }

        return await query.OrderBy(s => s.Key).Take(Math.Clamp(first, 1, MaxPage)).ToListAsync(cancellationToken);
    }

    public async Task<DuplicateSetRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        return await context.Set<DuplicateSetRow>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    public async Task<DuplicateSetRow> DismissAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var set = await context.Set<DuplicateSetRow>().AsTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new CrmException(ErrorCodes.NotFound, $"There is no duplicate set {id}.", "id");
        set.Status = nameof(DuplicateSetStatus.Dismissed);
        set.DismissedBy = session.Principal.UserId;
        set.DismissedAt = time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        return set;
    }
}
