using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.PluginHost.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// Plugin jobs on their schedules, on the host's own loop, with time moved by a fake clock instead of
/// waited for: a cron with seconds runs on its second, and the history stays bounded (three runs
/// per job here). Each test has a host of its own, since each moves its clock.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginJobScheduleTests : IDisposable
{
    private readonly CrmHost _host;

    public PluginJobScheduleTests(PluginHostFixture plugins)
    {
        _host = new CrmHost(settings: new Dictionary<string, string?> { ["Crm:PluginDirectory"] = plugins.PluginDirectory, ["Crm:JobRunsKept"] = "3" })
        {
            ConfigureTestServices = services => services.AddSingleton<TimeProvider>(Time),
        };
    }

    /// <summary>The host's clock, on an even second, so a job due every two seconds is next due two seconds on.</summary>
    private FakeTimeProvider Time { get; } = new(new DateTimeOffset(2031, 5, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_job_due_every_two_seconds_runs_on_each_due_second()
    {
        using var client = await _host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"chores\") { userErrors { code message } } }");
        // The schedule starts when the scheduler first sees the job on the tenant: now.
        var start = Time.GetUtcNow().UtcDateTime;
        await _host.Service<PluginJobScheduler>().RunDueAsync(start, CancellationToken.None);

        var expected = new List<DateTime>();
        for (var i = 1; i <= 3; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            expected.Add(start.AddSeconds(2 * i));
            var runs = await client.EventuallyAsync("{ jobRuns(job: \"tick\") { startedAt endedAt } }", d => d["jobRuns"]!.AsArray().Count(r => r!["endedAt"] is not null) == expected.Count);
            var started = runs["jobRuns"]!.AsArray().Select(r => r!["startedAt"]!.GetValue<DateTime>().ToUniversalTime()).Reverse();
            Assert.Equal(expected, started);
        }

        var triggers = await client.QueryAsync("{ jobRuns(job: \"tick\") { trigger outcome scheduledAt } choreLogs { totalCount } }");
        Assert.All(triggers["jobRuns"]!.AsArray(), r => Assert.Equal(("SCHEDULE", "SUCCEEDED"), (r!["trigger"]!.GetValue<string>(), r["outcome"]!.GetValue<string>())));
        Assert.Equal(3, triggers["choreLogs"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_tenant_whose_jobs_ran_for_their_latest_due_time_is_not_opened_by_the_scheduler_until_the_next()
    {
        using var client = await _host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"chores\") { userErrors { code message } } }");
        var scheduler = _host.Service<PluginJobScheduler>();
        var catalog = _host.Service<TenantCatalog>();
        var start = Time.GetUtcNow().UtcDateTime;
        Task<IReadOnlyList<string>> DueAtAsync(DateTime at) => catalog.TenantsWithDueWorkAsync(scheduler.DueProbe(at), CancellationToken.None);

        // Enabling started the schedules: nothing is due until the two-second job's next second.
        Assert.DoesNotContain(client.TenantId, await DueAtAsync(start.AddSeconds(1)));
        Assert.Contains(client.TenantId, await DueAtAsync(start.AddSeconds(2)));
    }

    [Fact]
    public async Task The_history_keeps_the_newest_runs_of_each_job_and_none_older_than_its_retention()
    {
        using var client = await _host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"chores\") { userErrors { code message } } }");
        for (var i = 0; i < 4; i++)
        {
            await RunAsync(client, "report");
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var kept = (await client.QueryAsync("{ jobRuns(job: \"report\") { startedAt } }"))["jobRuns"]!.AsArray();
        Assert.Equal(3, kept.Count);

        await RunAsync(client, "broken");
        Time.Advance(TimeSpan.FromDays(31));
        await RunAsync(client, "report");
        // The old reports are past retention; the broken job's run is pruned when that job next runs.
        Assert.Single((await client.QueryAsync("{ jobRuns(job: \"report\") { job } }"))["jobRuns"]!.AsArray());
        Assert.Single((await client.QueryAsync("{ jobRuns(job: \"broken\") { job } }"))["jobRuns"]!.AsArray());
    }

    public void Dispose() => _host.Dispose();

    private static async Task RunAsync(TenantClient client, string job) =>
        await PluginJobRunTests.EndedAsync(client, (await client.MutateAsync(PluginJobRunTests.RunJob, new { plugin = "chores", job }))["run"]!["id"]!.GetValue<string>());
}
