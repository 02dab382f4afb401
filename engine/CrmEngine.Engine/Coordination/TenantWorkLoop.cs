using System.Threading.Channels;
using CrmEngine.Engine.Tenancy;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Engine.Coordination;

/// <summary>
/// The loop of a background service that works tenant by tenant under leases (the outbox's after
/// stage, webhook deliveries): woken by a signal naming a tenant, and by a periodic sweep over every
/// tenant that finds what a signal missed (after a crash, or work that came due). The sweep asks the
/// stores which tenants have work at all (<see cref="DueWorkProbe"/>) and opens only those. A tenant whose
/// lease another host (or pass) holds is looked at again shortly, in case that holder finished its
/// last batch before the signal.
/// </summary>
public static class TenantWorkLoop
{
    private static readonly TimeSpan RetryBusy = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs until stopped: <paramref name="tryWork"/> works on a tenant if its lease is free and says
    /// false when someone else holds it; <paramref name="probe"/> says which rows are work for it;
    /// <paramref name="worker"/> names the loop in its log.
    /// </summary>
    public static async Task RunAsync(
        ChannelReader<string> signals,
        Action<string> notify,
        TenantCatalog catalog,
        Func<TimeSpan> sweepInterval,
        Func<DueWorkProbe> probe,
        Func<string, CancellationToken, Task<bool>> tryWork,
        ILogger logger,
        string worker,
        CancellationToken stoppingToken)
    {
        var sweep = Task.Delay(TimeSpan.Zero, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var pending = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                var woken = signals.WaitToReadAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(woken, sweep) == sweep)
                {
                    pending.UnionWith(await catalog.TenantsWithDueWorkAsync(probe(), stoppingToken));
                    sweep = Task.Delay(sweepInterval(), stoppingToken);
                }

                while (signals.TryRead(out var tenantId))
                {
                    pending.Add(tenantId);
                }

                foreach (var tenantId in pending)
                {
                    if (!await tryWork(tenantId, stoppingToken))
                    {
                        _ = Task.Delay(RetryBusy, stoppingToken).ContinueWith(_ => notify(tenantId), TaskScheduler.Default);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Worker} failed a pass; it will try again.", worker);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
