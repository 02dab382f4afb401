using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Rules.Definitions;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Rules.Logging;

/// <summary>A committed change whose after-stage work (after-rules, after-hooks) failed every attempt, with why.</summary>
public sealed record ParkedChange(long Sequence, string Entity, Guid RecordId, string Operation, long Version, DateTime At, int Attempts, string? LastError);

/// <summary>
/// Changes the outbox gave up on after <see cref="OutboxDispatcher.MaxAttempts"/> attempts stay in the
/// outbox with their last error; admins list them here and, once the cause is fixed, send them back.
/// </summary>
public sealed class ParkedChanges(OutboxSignal outbox)
{
    public async Task<IReadOnlyList<ParkedChange>> ListAsync(CrmSession session, int first, CancellationToken cancellationToken)
    {
        RuleService.RequireAdmin(session);
        await using var context = session.CreateContext();
        var rows = await context.Set<OutboxRow>()
            .Where(r => r.ProcessedAt == null && r.Attempts >= OutboxDispatcher.MaxAttempts)
            .OrderBy(r => r.Seq)
            .Take(Math.Clamp(first, 1, 500))
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ParkedChange(r.Seq, r.Entity, r.RecordId, r.Operation, r.Version, DateTime.SpecifyKind(r.At, DateTimeKind.Utc), r.Attempts, r.LastError)).ToList();
    }

    /// <summary>Gives parked changes a fresh set of attempts, starting now; returns how many were parked.</summary>
    public async Task<int> RetryAsync(CrmSession session, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken)
    {
        RuleService.RequireAdmin(session);
        await using var context = session.CreateContext();
        var retried = await context.Set<OutboxRow>()
            .Where(r => sequences.Contains(r.Seq) && r.ProcessedAt == null && r.Attempts >= OutboxDispatcher.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, 0).SetProperty(r => r.NextAttemptAt, (DateTime?)null), cancellationToken);
        if (retried > 0)
        {
            outbox.Notify(session.TenantId);
        }

        return retried;
    }
}
