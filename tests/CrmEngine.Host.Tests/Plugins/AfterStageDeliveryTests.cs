using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// The after stage delivers a change to each handler (the tenant's after-rules, each plugin's after
/// hooks) once it handled it: when one fails and the outbox retries the change, only the handlers
/// that have not handled it run again. Time is the host's fake clock, moved past the retry's back-off.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class AfterStageDeliveryTests(PluginHostFixture fixture) : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private CrmHost? _host;

    private CrmHost Host => _host ??= new CrmHost(settings: new Dictionary<string, string?> { ["Crm:PluginDirectory"] = fixture.PluginDirectory, ["Crm:JobsEnabled"] = "false" })
    {
        ConfigureTestServices = services => services.AddSingleton<TimeProvider>(_time),
    };

    [Fact]
    public async Task A_retried_change_runs_the_after_rule_that_failed_again_but_not_the_plugin_hook_that_succeeded()
    {
        using var client = await Host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code message } } }");
        await client.MutateAsync("mutation($input: SaveRuleInput!) { saveRule(input: $input) { rule { name } userErrors { code message } } }", new
        {
            input = new
            {
                name = "logWhenAllowed",
                entity = "task",
                triggers = new[] { "AFTER_UPDATE" },
                script = "if (crm.find('taskEvent', { message: 'go' }).length === 0) throw new Error('not yet'); crm.create('taskEvent', { message: 'rule ran' });",
            },
        });
        var id = (await client.MutateAsync("mutation { createTask(input: { title: \"write the report\" }) { task { id } userErrors { code } } }"))["task"]!["id"]!.GetValue<string>();
        await client.MutateAsync("mutation($id: ID!) { completeTask(id: $id) { result { status } userErrors { code } } }", new { id });

        // First attempt: the plugin's CompletionLog logs the completion, the rule fails.
        var outbox = Host.Service<OutboxDispatcher>();
        await outbox.DrainAsync(client.TenantId, CancellationToken.None);
        Assert.Equal(["completed"], await EventsAsync(client));

        await client.MutateAsync("mutation { createTaskEvent(input: { message: \"go\" }) { taskEvent { id } userErrors { code } } }");
        _time.Advance(OutboxDispatcher.Backoff(1));
        await outbox.DrainAsync(client.TenantId, CancellationToken.None);

        Assert.Equal(["completed", "go", "rule ran"], await EventsAsync(client));
    }

    public void Dispose() => _host?.Dispose();

    private static async Task<List<string>> EventsAsync(TenantClient client) =>
        (await client.QueryAsync("{ taskEvents { nodes { message } } }"))["taskEvents"]!["nodes"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
}
