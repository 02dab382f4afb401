using System.Diagnostics;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Drives the after stage: reads each tenant's outbox in commit order and hands every change to the
/// <see cref="IRecordChangeHandler"/>s. Woken by <see cref="OutboxSignal"/> after commits and by a
/// periodic sweep, so work left by a crash is picked up on the next start. A tenant's outbox is
/// drained under a lease (<see cref="IWorkLeases"/>), so among several hosts one at a time works
/// on it, in order. Rows handled are marked done together, at the end of a batch or once
/// <see cref="MarkInterval"/> has passed since the last marks, whichever comes first: one write per
/// batch rather than one per row, so the after stage keeps up with the pipeline's write rate (marked
/// one by one, it fell minutes behind a burst of creates). A host that dies leaves the rest, and what
/// it handled in its last <see cref="MarkInterval"/>, to the next holder of the lease (delivery is at
/// least once, as it always was); one that stops marks what it handled before it lets go.
/// </summary>
public sealed class OutboxDispatcher(
    TenantCatalog catalog,
    TenantRegistry tenants,
    OutboxSignal signal,
    IWorkLeases leases,
    IEnumerable<IRecordChangeHandler> handlers,
    IEnumerable<IRecordChangeHandlerSource> handlerSources,
    IOptions<CrmEngineOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger,
    CrmMetrics metrics) : BackgroundService
{
    public const int MaxAttempts = 10;

    /// <summary>The longest handled rows wait to be marked done.</summary>
    public static readonly TimeSpan MarkInterval = TimeSpan.FromMilliseconds(50);

    private const int BatchSize = 100;
    private static readonly TimeSpan RetryBusy = TimeSpan.FromMilliseconds(250);
    private readonly IRecordChangeHandler[] _registered = handlers.ToArray();
    private readonly IRecordChangeHandlerSource[] _sources = handlerSources.ToArray();

    /// <summary>
    /// The handlers now: the sources' current ones (plugins' after hooks), then those registered as
    /// services (tenants' after rules), the order the host registered them in before plugins could be reloaded.
    /// </summary>
    private IRecordChangeHandler[] Handlers() =>
        _sources.Length == 0 ? _registered : [.. _sources.SelectMany(s => s.Handlers), .. _registered];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        TenantWorkLoop.RunAsync(signal.Reader, signal.Notify, catalog, () => options.Value.OutboxPollInterval, DueProbe, TryDrainAsync, logger, "The outbox dispatcher", stoppingToken);

    /// <summary>Changes not handled yet whose (next) attempt is due, the rows <see cref="DispatchBatchAsync"/> reads: which tenants the sweep opens.</summary>
    public DueWorkProbe DueProbe() => DueWorkProbe.Rows("crm_outbox", $"processed_at IS NULL AND attempts < {MaxAttempts} AND (next_attempt_at IS NULL OR next_attempt_at <= @now)", time.UtcNow());

    /// <summary>Handles a tenant's due outbox rows until none are left, waiting for the lease if someone else holds it. Public for tests and admin tools.</summary>
    public async Task DrainAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var lease = await leases.AcquireAsync(LeaseName(tenantId), cancellationToken);
        await DrainLeasedAsync(tenantId, cancellationToken);
    }

    /// <summary>Drains a tenant's outbox if its lease is free; false when someone else is draining it.</summary>
    public async Task<bool> TryDrainAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryAcquireAsync(LeaseName(tenantId), cancellationToken);
        if (lease is null)
        {
            return false;
        }

        await DrainLeasedAsync(tenantId, cancellationToken);
        return true;
    }

    private static string LeaseName(string tenantId) => "outbox:" + tenantId;

    private async Task DrainLeasedAsync(string tenantId, CancellationToken cancellationToken)
    {
        var store = await tenants.GetAsync(tenantId, cancellationToken);
        // A full batch whose rows all wait (for their next attempt, or behind an earlier change of
        // their record) would be read again and again until one is due: stop, the sweep comes back.
        while (await DispatchBatchAsync(store, cancellationToken) is (BatchSize, > 0))
        {
        }
    }

    /// <summary>Handles one batch; how many rows it read and how many of them it handed to the handlers.</summary>
    private async Task<(int Read, int Tried)> DispatchBatchAsync(TenantStore store, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var rows = await context.Set<OutboxRow>().AsTracking()
            .Where(r => r.ProcessedAt == null && r.Attempts < MaxAttempts)
            .OrderBy(r => r.Seq)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        int tried;
        try
        {
            tried = await HandleAsync(store, context, rows, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping (the host shuts down, or the caller gave up): what was handled is marked, so
            // the next holder of the lease starts after it.
            await MarkAsync(store, context, CancellationToken.None);
            throw;
        }

        await MarkAsync(store, context, cancellationToken);
        return (rows.Count, tried);
    }

    /// <summary>Hands the rows to the handlers in order, marking what was handled whenever <see cref="MarkInterval"/> has passed; returns how many it handed over.</summary>
    private async Task<int> HandleAsync(TenantStore store, TenantDbContext context, List<OutboxRow> rows, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var handlers = Handlers();
        var sinceMarked = Stopwatch.StartNew();
        var blocked = new HashSet<Guid>();
        var tried = 0;
        foreach (var row in rows)
        {
            // Order per record: a record whose earlier change is waiting keeps its later ones waiting too.
            if (blocked.Contains(row.RecordId) || (row.NextAttemptAt is { } next && next > now))
            {
                blocked.Add(row.RecordId);
                continue;
            }

            var change = new RecordEvent(store.TenantId, row.Seq, row.Entity, row.RecordId, Enum.Parse<RecordOperation>(row.Operation, ignoreCase: true),
                row.Version, DateTime.SpecifyKind(row.At, DateTimeKind.Utc), row.Actor, row.Changes, row.Depth);
            tried++;
            // Handlers run in order; those before the one that failed have handled the change.
            var reached = 0;
            using var activity = CrmTelemetry.StartRecordWork("crm.write.after", store.TenantId, change.Entity, change.Operation, ActivityKind.Consumer);
            try
            {
                // Writes the handlers make continue the cascade the change belonged to.
                await WriteScope.RunAtDepthAsync(row.Depth, async () =>
                {
                    for (; reached < handlers.Length; reached++)
                    {
                        // A handler that handled the change on an earlier attempt is not run again.
                        if (row.HandledBy is not { } handled || !IsListed(handled, handlers[reached].Name))
                        {
                            await handlers[reached].HandleAsync(change, cancellationToken);
                        }
                    }
                });

                row.ProcessedAt = time.UtcNow();
                metrics.OutboxLag.Record((row.ProcessedAt.Value - change.At).TotalSeconds);
            }
            catch (RetryLaterException e)
            {
                row.HandledBy = HandledBy(handlers, reached);
                row.LastError = e.Message;
                row.NextAttemptAt = time.UtcNow() + e.After;
                blocked.Add(row.RecordId);
                logger.LogDebug("After-stage handling of {Entity} {RecordId} (outbox {Seq}, tenant {Tenant}) put off: {Reason}", row.Entity, row.RecordId, row.Seq, store.TenantId, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                row.HandledBy = HandledBy(handlers, reached);
                CrmTelemetry.Failed(activity, e);
                row.Attempts++;
                row.LastError = e.Message;
                row.NextAttemptAt = time.UtcNow() + Backoff(row.Attempts);
                blocked.Add(row.RecordId);
                var level = row.Attempts >= MaxAttempts ? LogLevel.Error : LogLevel.Warning;
                logger.Log(level, e, "After-stage handling of {Entity} {RecordId} (outbox {Seq}, tenant {Tenant}) failed, attempt {Attempt} of {Max}.",
                    row.Entity, row.RecordId, row.Seq, store.TenantId, row.Attempts, MaxAttempts);
            }

            if (sinceMarked.Elapsed >= MarkInterval)
            {
                await MarkAsync(store, context, cancellationToken);
                sinceMarked.Restart();
            }
        }

        return tried;
    }

    /// <summary>The handlers before the <paramref name="failed"/>th, which handled the change (now or on an earlier attempt).</summary>
    private static string? HandledBy(IRecordChangeHandler[] handlers, int failed) => failed == 0 ? null : string.Join(' ', handlers.Take(failed).Select(h => h.Name));

    private static bool IsListed(string handledBy, string name) =>
        handledBy.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(name, StringComparer.Ordinal);

    /// <summary>Saves what was handled (done, or failed with its next attempt).</summary>
    private static async Task MarkAsync(TenantStore store, TenantDbContext context, CancellationToken cancellationToken)
    {
        if (!context.ChangeTracker.HasChanges())
        {
            return;
        }

        // Marking rows is a write: it takes its turn with the store's other writes.
        await store.Access.SaveAsync(context, cancellationToken);
        StorageProbe.OutboxMarked();
    }

    /// <summary>1 s, 2 s, 4 s ... capped at 10 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, Math.Max(0, attempts - 1))));
}
