using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Host.Tests.Support;
using CrmEngine.PluginHost.Jobs;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.Scaling;

/// <summary>
/// A plugin's scheduled job on two hosts sharing one PostgreSQL database: a run whose host dies in
/// the middle is run again for the same due time by the other host, once, and then not again.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class SeveralHostsJobTests : IDisposable
{
    private readonly TestStore _store = TestStore.CreatePostgres();
    private readonly TestPluginFolder _plugins = new("TestPlugins.Tasks");
    private readonly List<CrmHost> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _store.Dispose();
        _plugins.Dispose();
    }

    [PostgresFact]
    public async Task A_job_run_left_unfinished_by_a_dying_host_is_run_again_for_the_same_due_time_by_another()
    {
        using var death = new CancellationTokenSource();
        var dying = Host(s => s.AddSingleton<IRecordHook>(new DieOnEvent(death)));
        var survivor = Host();
        using var client = await dying.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        var start = Start.UtcDateTime;
        await dying.Service<PluginJobScheduler>().RunDueAsync(start, CancellationToken.None);
        var due = start.AddHours(1).AddSeconds(5);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.Service<PluginJobScheduler>().RunDueAsync(due, death.Token));
        dying.Dispose();
        _hosts.Remove(dying);

        // Half an hour later nothing new is due: what runs is the run the dead host left. The
        // survivor's own background loop may get there first (it runs once when the host starts),
        // so the outcome is checked, not which loop ran it.
        await survivor.Service<PluginJobScheduler>().RunDueAsync(due.AddMinutes(30), CancellationToken.None);
        using var onSurvivor = survivor.Client(client.TenantId, client.Key);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await DigestsAsync(onSurvivor) is [])
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "The unfinished run was not run again.");
            await Task.Delay(50);
        }

        Assert.Equal(0, await survivor.Service<PluginJobScheduler>().RunDueAsync(due.AddMinutes(40), CancellationToken.None));
        Assert.Equal(["digest 2031-03-01: 1 open"], await DigestsAsync(onSurvivor));
    }

    private static async Task<List<string>> DigestsAsync(TenantClient client) =>
        (await client.QueryAsync("{ taskEvents { nodes { message } } }"))["taskEvents"]!["nodes"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();

    /// <summary>The hosts' clock: enabling the plugin starts its schedules then.</summary>
    private static readonly DateTimeOffset Start = new(2031, 3, 1, 7, 0, 0, TimeSpan.Zero);

    private CrmHost Host(Action<IServiceCollection>? configure = null)
    {
        var host = new CrmHost(_store, new Dictionary<string, string?> { ["Crm:PluginDirectory"] = _plugins.Directory, ["Crm:JobsEnabled"] = "false" })
        {
            ConfigureTestServices = services =>
            {
                services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
                configure?.Invoke(services);
            },
        };
        _hosts.Add(host);
        return host;
    }

    /// <summary>Kills its host in the middle of the job's write.</summary>
    private sealed class DieOnEvent(CancellationTokenSource death) : IRecordHook
    {
        public string Source => "test";

        public bool AppliesTo(RecordChange change) => change.Entity.Name == "taskEvent";

        public Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
        {
            death.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }
    }
}
