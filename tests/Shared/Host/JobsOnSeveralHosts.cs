using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Jobs;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// A plugin's scheduled job run on several hosts at once, for the tests that prove a job's work is done
/// once however many hosts run it: each host runs it several times in parallel, straight through the
/// job runner, past the scheduler's one-run-at-a-time claim (as after a lost lease, or a run resumed
/// while the first still goes).
/// </summary>
public static class JobsOnSeveralHosts
{
    /// <summary>
    /// Runs <paramref name="pluginId"/>'s job <paramref name="jobName"/> for <paramref name="at"/>,
    /// <paramref name="timesEach"/> times on each host at once, and asserts every run succeeded (a run
    /// that failed on a conflict with another would otherwise pass unseen).
    /// </summary>
    public static async Task RunTogetherAsync(IReadOnlyList<CrmHost> hosts, string tenantId, string pluginId, string jobName, DateTime at, int timesEach = 3)
    {
        var runs = new List<Task<PluginJobRunRow>>();
        foreach (var host in hosts)
        {
            var store = await host.Service<TenantRegistry>().GetAsync(tenantId, CancellationToken.None);
            var job = host.Service<PluginCatalog>().Implementations<IScheduledJob>().Single(j => j.PluginId == pluginId && j.Instance.Name == jobName).Instance;
            runs.AddRange(Enumerable.Range(0, timesEach).Select(_ => Task.Run(() => host.Service<JobRunner>().RunAsync(store, pluginId, job, JobTrigger.Manual, at, CancellationToken.None))));
        }

        var ended = await Task.WhenAll(runs);
        Assert.All(ended, r => Assert.True(r.Outcome == "succeeded", $"{jobName} on {r.Host}: {r.Outcome} {r.ErrorCode} {r.Error}"));
    }
}
