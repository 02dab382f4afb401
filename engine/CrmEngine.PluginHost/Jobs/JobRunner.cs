using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.PluginHost.Jobs;

/// <summary>
/// Runs one job for one tenant, as the system identity, recorded in the job run history
/// (<see cref="JobRunLog"/>): scheduled runs and admins' runJob alike. Call it under the job's lease.
/// What the history keeps of a failure is safe to show: the plugin's own refusal
/// (<see cref="OperationException"/>) or the engine's typed error as they are, anything else as
/// PLUGIN_ERROR with a correlation id (the exception itself goes to the log only).
/// </summary>
public sealed class JobRunner(RecordApiFactory records, PluginFailures failures, JobRunLog log)
{
    /// <summary>
    /// Runs <paramref name="job"/> for the due time <paramref name="due"/>, telling <paramref name="started"/>
    /// the run as the history first shows it (running) before the job runs; returns the ended run.
    /// </summary>
    public async Task<PluginJobRunRow> RunAsync(TenantStore store, string pluginId, IScheduledJob job, JobTrigger trigger, DateTime due, CancellationToken cancellationToken, Action<PluginJobRunRow>? started = null)
    {
        var run = await log.StartAsync(store, pluginId, job.Name, trigger, due, cancellationToken);
        started?.Invoke(run.Copy());
        var session = new CrmSession(store, CrmPrincipal.System(store.TenantId));
        CrmError? error = null;
        try
        {
            await job.RunAsync(new JobContext(SdkMapping.ToSdk(session.Principal), records.For(session), due, records.Directory(session), records.Notifier(session), records.Messaging(session), records.Settings(session, pluginId)), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the run is over here, and says so.
            await log.EndAsync(store, run, JobRunOutcome.Interrupted, null, CancellationToken.None);
            throw;
        }
        catch (OperationException e)
        {
            error = new CrmError(e.Code, e.Message, e.Field);
        }
        catch (CrmException e)
        {
            error = e.Errors.Count > 0 ? e.Errors[0] : new CrmError(e.Code, e.Message);
        }
        catch (Exception e)
        {
            var when = trigger == JobTrigger.Manual ? "run by an admin" : $"for {due:o}";
            error = failures.Report(pluginId, $"in its job {job.Name} {when}", store.TenantId, e, "It runs again at its next due time.").Error();
        }

        await log.EndAsync(store, run, error is null ? JobRunOutcome.Succeeded : JobRunOutcome.Failed, error, cancellationToken);
        return run;
    }

    private sealed record JobContext(Sdk.Identity.ICrmIdentity Identity, Sdk.Records.IRecordApi Records, DateTime ScheduledAt, Sdk.Identity.IUserDirectory Directory, Sdk.Notifications.INotifier Notifications, Sdk.Messaging.IMessaging Messaging, Sdk.Settings.IPluginSettings Settings) : IJobContext;
}
