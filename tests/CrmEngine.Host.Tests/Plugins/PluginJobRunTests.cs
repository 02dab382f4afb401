using System.Text.Json.Nodes;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.PluginHost.Jobs;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// runJob and the job run history over HTTP, with the chores test plugin (a job that logs the
/// settings, one that fails, one that refuses, one that waits to be released).
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginJobRunTests(PluginHostFixture fixture)
{
    public const string RunJob = "mutation($plugin: String!, $job: String!) { runJob(plugin: $plugin, job: $job) { run { id plugin job trigger outcome host startedAt endedAt } userErrors { field code message } } }";

    public const string Runs = "{ jobRuns { id plugin job trigger scheduledAt startedAt endedAt outcome errorCode error host } }";

    [Fact]
    public async Task Running_a_job_by_hand_starts_it_now_and_the_history_shows_how_it_ended()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var started = (await client.MutateAsync(RunJob, new { plugin = "chores", job = "report" }))["run"]!;
        Assert.Equal(("chores", "report", "MANUAL"), (started["plugin"]!.GetValue<string>(), started["job"]!.GetValue<string>(), started["trigger"]!.GetValue<string>()));
        Assert.Equal(Environment.MachineName, started["host"]!.GetValue<string>());

        var run = await EndedAsync(client, started["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", run["outcome"]!.GetValue<string>());
        Assert.Null(run["errorCode"]);
        Assert.True(run["endedAt"]!.GetValue<DateTime>() >= run["startedAt"]!.GetValue<DateTime>());
        var log = await client.QueryAsync("{ choreLogs { nodes { message } } }");
        Assert.Equal("report: Hello 10 1.5 False basic key=none", log["choreLogs"]!["nodes"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_that_fails_is_recorded_as_failed_with_a_typed_error_and_no_detail_of_the_exception()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var failed = await EndedAsync(client, (await client.MutateAsync(RunJob, new { plugin = "chores", job = "broken" }))["run"]!["id"]!.GetValue<string>());

        Assert.Equal(("FAILED", "PLUGIN_ERROR"), (failed["outcome"]!.GetValue<string>(), failed["errorCode"]!.GetValue<string>()));
        var error = failed["error"]!.GetValue<string>();
        Assert.Contains("Plugin 'chores' failed in its job broken", error, StringComparison.Ordinal);
        Assert.Contains("correlation id", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_refuses_is_recorded_with_its_own_code_and_message()
    {
        using var client = await fixture.TenantWithAsync("chores");

        var refused = await EndedAsync(client, (await client.MutateAsync(RunJob, new { plugin = "chores", job = "refusing" }))["run"]!["id"]!.GetValue<string>());

        Assert.Equal(("FAILED", "CHORES_NOTHING_TO_DO", "There is nothing to do today."), (refused["outcome"]!.GetValue<string>(), refused["errorCode"]!.GetValue<string>(), refused["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunJob_refuses_an_unknown_plugin_an_unknown_job_a_plugin_the_tenant_has_not_enabled_and_a_non_admin_and_runs_nothing()
    {
        using var admin = await fixture.TenantWithAsync("tasks");
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "user", ["user"], null, null, CancellationToken.None);
        using var user = fixture.Host.Client(admin.TenantId, key.Key);

        Assert.Equal(("NOT_FOUND", "plugin"), await RefusalAsync(admin, "nope", "report"));
        Assert.Equal(("NOT_FOUND", "job"), await RefusalAsync(admin, "tasks", "evening-digest"));
        Assert.Equal(("PLUGIN_NOT_ENABLED", "plugin"), await RefusalAsync(admin, "chores", "report"));
        Assert.Equal(("FORBIDDEN", (string?)null), await RefusalAsync(user, "tasks", "morning-digest"));

        Assert.Empty((await admin.QueryAsync(Runs))["jobRuns"]!.AsArray());
        Assert.Equal(0, (await admin.QueryAsync("{ taskEvents { totalCount } }"))["taskEvents"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_job_already_running_on_the_tenant_is_not_started_twice()
    {
        using var client = await fixture.TenantWithAsync("chores");
        var first = (await client.MutateAsync(RunJob, new { plugin = "chores", job = "slow" }))["run"]!;
        Assert.Equal("RUNNING", first["outcome"]!.GetValue<string>());

        Assert.Equal(("JOB_RUNNING", "job"), await RefusalAsync(client, "chores", "slow"));
        // Nor does its schedule start it meanwhile: the first pass starts the schedule, the second is past a due time.
        var scheduler = fixture.Host.Service<PluginJobScheduler>();
        var now = DateTime.UtcNow;
        await fixture.Host.Service<ScheduledWorkService>().RunDueAsync(scheduler, client.TenantId, now, CancellationToken.None);
        await fixture.Host.Service<ScheduledWorkService>().RunDueAsync(scheduler, client.TenantId, now.AddYears(1), CancellationToken.None);

        await client.MutateAsync("mutation { createChoreLog(input: { message: \"release\" }) { choreLog { id } userErrors { code } } }");
        var ended = await EndedAsync(client, first["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", ended["outcome"]!.GetValue<string>());
        Assert.Single((await client.QueryAsync("{ jobRuns(job: \"slow\") { id } }"))["jobRuns"]!.AsArray());
        Assert.Equal(1, (await client.QueryAsync("{ choreLogs(filter: { message: { eq: \"slow done\" } }) { totalCount } }"))["choreLogs"]!["totalCount"]!.GetValue<int>());

        // Once it ended, it may run again.
        var again = (await client.MutateAsync(RunJob, new { plugin = "chores", job = "broken" }))["run"]!;
        await EndedAsync(client, again["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_admins_read_the_job_run_history()
    {
        using var admin = await fixture.TenantWithAsync("chores");
        await EndedAsync(admin, (await admin.MutateAsync(RunJob, new { plugin = "chores", job = "report" }))["run"]!["id"]!.GetValue<string>());
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "user", ["user"], null, null, CancellationToken.None);
        using var user = fixture.Host.Client(admin.TenantId, key.Key);

        var answer = await user.PostAsync(Runs);

        Assert.Equal("FORBIDDEN", answer.FirstErrorCode);
        Assert.Null(answer.Data?["jobRuns"]);
    }

    [Fact]
    public async Task The_history_filters_by_plugin_job_and_outcome_newest_first()
    {
        using var client = await fixture.TenantWithAsync("chores");
        foreach (var job in new[] { "report", "broken", "report" })
        {
            await EndedAsync(client, (await client.MutateAsync(RunJob, new { plugin = "chores", job }))["run"]!["id"]!.GetValue<string>());
        }

        var failed = (await client.QueryAsync("{ jobRuns(outcome: FAILED) { job } }"))["jobRuns"]!.AsArray();
        var reports = (await client.QueryAsync("{ jobRuns(plugin: \"chores\", job: \"report\", first: 1) { job startedAt } }"))["jobRuns"]!.AsArray();
        var all = (await client.QueryAsync("{ jobRuns { job } }"))["jobRuns"]!.AsArray();

        Assert.Equal(["broken"], failed.Select(r => r!["job"]!.GetValue<string>()));
        Assert.Single(reports);
        Assert.Equal(["report", "broken", "report"], all.Select(r => r!["job"]!.GetValue<string>()));
    }

    /// <summary>The run once the history shows it ended.</summary>
    public static async Task<JsonNode> EndedAsync(TenantClient client, string id)
    {
        var runs = await client.EventuallyAsync(Runs, d => d["jobRuns"]!.AsArray().Any(r => r!["id"]!.GetValue<string>() == id && r["endedAt"] is not null));
        var run = runs["jobRuns"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == id)!;
        Assert.NotNull(run["endedAt"]);
        return run;
    }

    private static async Task<(string Code, string? Field)> RefusalAsync(TenantClient client, string plugin, string job)
    {
        var payload = (await client.QueryAsync(RunJob, new { plugin, job }))["runJob"]!;
        Assert.Null(payload["run"]);
        var error = payload["userErrors"]!.AsArray().Single()!;
        return (error["code"]!.GetValue<string>(), error["field"]?.GetValue<string>());
    }
}
