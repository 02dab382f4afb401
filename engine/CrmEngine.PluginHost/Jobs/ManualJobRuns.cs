using System.Collections.Concurrent;
using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmEngine.PluginHost.Jobs;

/// <summary>
/// runJob: an admin runs a plugin's job now for the caller's tenant. The run takes the job's lease
/// (the one scheduled runs take), so it never runs beside another run of the job on the tenant, on
/// any host; it is refused with JOB_RUNNING instead. Once started it goes on in the background,
/// not tied to the request (a job may take longer than a request may), and is followed in the job
/// run history; the host stopping interrupts it.
/// </summary>
public sealed class ManualJobRuns(PluginCatalog catalog, PluginJobScheduler scheduler, Tenants.PluginServing serving, JobRunner runner, IWorkLeases leases, TimeProvider time, ILogger<ManualJobRuns> logger)
    : BackgroundService
{
    /// <summary>How long runJob waits for the lease when no run holds it (a scheduler may be checking the job for a moment).</summary>
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    /// <summary>Starts the run and returns it as the history shows it (running) once it has started.</summary>
    public async Task<PluginJobRunRow> StartAsync(CrmSession session, string pluginId, string jobName, CancellationToken cancellationToken)
    {
        JobRunLog.RequireAdmin(session, "Running a job");
        if (catalog.Find(pluginId) is not { Status: PluginStatus.Loaded })
        {
            throw new CrmException(ErrorCodes.NotFound, $"There is no plugin '{pluginId}' on this host.", "plugin");
        }

        var job = scheduler.Find(pluginId, jobName) ?? throw new CrmException(ErrorCodes.NotFound, $"Plugin '{pluginId}' has no job named '{jobName}'.", "job");
        if (!session.Metadata.IsPluginEnabled(pluginId))
        {
            throw new CrmException(ErrorCodes.PluginNotEnabled, $"Plugin '{pluginId}' is not enabled on this tenant; enable it to run its jobs.", "plugin");
        }

        if (serving.Refusal(session.TenantId, session.Metadata, pluginId) is { } refusal)
        {
            throw new CrmException(refusal with { Field = "plugin" });
        }

        var lease = await AcquireAsync(session, pluginId, jobName, cancellationToken)
            ?? throw new CrmException(ErrorCodes.JobRunning, $"Job '{jobName}' of plugin '{pluginId}' is running on this tenant already; wait for that run to end.", "job");
        var started = new TaskCompletionSource<PluginJobRunRow>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = Guid.NewGuid();
        _running[id] = Task.Run(async () =>
        {
            await using (lease)
            {
                try
                {
                    await runner.RunAsync(session.Store, pluginId, job, JobTrigger.Manual, time.UtcNow(), _stopping.Token, r => started.TrySetResult(r));
                }
                catch (Exception e)
                {
                    // The run itself records its own failures; this is the history failing to record it.
                    started.TrySetException(e);
                    logger.LogError(e, "A manual run of job {Job} of plugin {Plugin} on tenant {Tenant} could not be run or recorded.", jobName, pluginId, session.TenantId);
                }
                finally
                {
                    _running.TryRemove(id, out _);
                }
            }
        }, CancellationToken.None);
        return await started.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host whose start failed is disposed before it is stopped: there is nothing left to stop.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _stopping.Dispose();
        base.Dispose();
    }

    private async Task<IAsyncDisposable?> AcquireAsync(CrmSession session, string pluginId, string job, CancellationToken cancellationToken)
    {
        var name = PluginJobScheduler.LeaseName(session.TenantId, pluginId, job);
        // Wall-clock waits: this is waiting on another holder of a lock, not business time.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(LeaseWait);
        try
        {
            while (true)
            {
                if (await leases.TryAcquireAsync(name, cancellationToken) is { } lease)
                {
                    return lease;
                }

                // A run holds it: refuse now. Otherwise a scheduler holds it while it looks at the job.
                if (await JobRunLog.IsRunningAsync(session.Store, pluginId, job, cancellationToken))
                {
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
