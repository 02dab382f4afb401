using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// Every minute, moves the SLA state of running cases on as their clocks pass the warning share and
/// the due time. Set-based: one query per kind of move (a warning or a breach of each target) reads
/// the cases that kind has come for, in pages along that due time's index, each state is computed
/// from the case's stored times alone (no calendar), and the cases whose state moved are written
/// together through the batched update (<see cref="RecordBatchUpdateExtensions.UpdateManyAsync"/>:
/// chunks of a transaction each, every case still a full pipeline write). The owner is told by
/// <see cref="SlaMoveNotice"/> inside each case's write, so a notice commits exactly with its move.
/// </summary>
internal sealed class SlaSweep : IScheduledJob
{
    public string Name => "sla-sweep";

    public string Cron => "* * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var now = context.ScheduledAt;
        // By id: a case several kinds have come for (warned and due at once) is read more than once and written once.
        var due = new Dictionary<Guid, CrmRecord>();
        foreach (var (where, time) in Moves(now))
        {
            await foreach (var @case in context.Records.QueryAllAsync(CaseEntity.Name, where, time is null ? null : [SortBy.Asc(time)], cancellationToken))
            {
                due.TryAdd(@case.Id, @case);
            }
        }

        var moves = new List<RecordUpdate>();
        foreach (var @case in due.Values)
        {
            var state = SlaStates.At(SlaSnapshot.Of(@case.GetValue, @case.GetValue<string>("status") ?? CaseLifecycle.New), now);
            if (state != @case.GetValue<string>("slaState"))
            {
                // The version read: a case an agent changed since (answered, paused) is refused rather than
                // overwritten with a state computed from old times, and the next minute's sweep reads it afresh.
                moves.Add(new RecordUpdate(@case.Id, new FieldValues { ["slaState"] = state, ["slaCheckedAt"] = now }, @case.Version));
            }
        }

        // Written after the reads, so the paging of the queries doesn't move under their feet.
        var outcomes = await context.Records.UpdateManyAsync(CaseEntity.Name, moves, cancellationToken);
        var failed = outcomes.SelectMany(o => o.Errors).Where(e => e.Code != "VERSION_CONFLICT").ToList();
        if (failed.Count > 0)
        {
            // The other moves are written; the job's run is marked failed with the reason, and the refused cases are read again next minute.
            throw new InvalidOperationException($"{failed.Count} of {moves.Count} SLA state moves were refused; the first: {failed[0].Code} {failed[0].Message}");
        }
    }

    /// <summary>
    /// One query per kind of move at <paramref name="now"/>, each on a running case (not paused), with
    /// the due time it pages along: a case within target whose warning time (first response while
    /// unanswered, resolution, next response) has come warns, or breaches if the due time came too; a
    /// warned case whose due time has come, or with a late next response counted, breaches. A warned
    /// case still short of its due times matches none, so it is not read again every minute until then.
    /// </summary>
    internal static IEnumerable<(Condition Where, string? Time)> Moves(DateTime now)
    {
        var unanswered = Condition.IsNull("firstRespondedAt");
        yield return (Running(SlaStates.Ok, unanswered.And(Condition.Lte("firstResponseWarnAt", now))), "firstResponseWarnAt");
        yield return (Running(SlaStates.Ok, Condition.Lte("resolutionWarnAt", now)), "resolutionWarnAt");
        yield return (Running(SlaStates.Ok, Condition.Lte("nextResponseWarnAt", now)), "nextResponseWarnAt");
        yield return (Running(SlaStates.Warning, unanswered.And(Condition.Lte("firstResponseDueAt", now))), "firstResponseDueAt");
        yield return (Running(SlaStates.Warning, Condition.Lte("resolutionDueAt", now)), "resolutionDueAt");
        yield return (Running(SlaStates.Warning, Condition.Lte("nextResponseDueAt", now)), "nextResponseDueAt");
        yield return (Running(SlaStates.Warning, Condition.Gt("nextResponseBreaches", 0L)), null);
    }

    private static Condition Running(string state, Condition due) => Condition.IsNull("slaPausedAt").And(Condition.Eq("slaState", state)).And(due);
}
