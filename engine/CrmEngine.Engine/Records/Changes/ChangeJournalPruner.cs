using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Changes;

/// <summary>
/// Keeps the journal the changes feed reads (the outbox) to <see cref="CrmEngineOptions.ChangeRetention"/>:
/// every <see cref="CrmEngineOptions.ChangePruneInterval"/> it deletes handled rows older than the
/// retention and a day. The day covers the transactions still open when a cursor was issued, whose
/// rows carry the earlier time they were written at; rows not yet handled (parked failures) are kept.
/// </summary>
public sealed class ChangeJournalPruner(TenantCatalog catalog, TenantRegistry tenants, IOptions<CrmEngineOptions> options, TimeProvider time, ILogger<ChangeJournalPruner> logger) : BackgroundService
{
    /// <summary>How far past the retention a row is kept: longer than any transaction stays open.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    /// <summary>Prunes one tenant's journal; returns how many rows went.</summary>
    public async Task<int> PruneAsync(string tenantId, CancellationToken cancellationToken)
    {
        var cutoff = time.UtcNow() - options.Value.ChangeRetention - Margin;
        var store = await tenants.GetAsync(tenantId, cancellationToken);
        await using var context = store.CreateContext();
        return await context.Set<OutboxRow>().Where(r => r.ProcessedAt != null && r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ChangePruneInterval, time, stoppingToken);
                foreach (var tenant in await catalog.ListTenantsAsync(stoppingToken))
                {
                    await PruneAsync(tenant.Id, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Pruning the changes journal failed; it will try again.");
            }
        }
    }
}
