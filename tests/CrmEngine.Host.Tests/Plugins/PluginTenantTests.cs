using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Host.Tests.Support;
using CrmEngine.PluginHost.Jobs;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>Enabling per tenant, hooks, operations, jobs, seeds: the plugin contract end to end over HTTP.</summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginTenantTests(PluginHostFixture fixture)
{
    private const string CreateTask = "mutation($title: String!) { createTask(input: { title: $title }) { task { id title priority status code } userErrors { field code message } } }";

    private static async Task<int> TaskCountAsync(TenantClient client) =>
        (await client.QueryAsync("{ tasks(deleted: INCLUDE) { totalCount } }"))["tasks"]!["totalCount"]!.GetValue<int>();

    [Fact]
    public async Task Enabling_a_plugin_adds_its_entities_and_operations_to_that_tenant_only()
    {
        using var enabled = await fixture.TenantWithAsync("tasks");
        using var other = await fixture.Host.NewTenantAsync();

        var entity = await enabled.QueryAsync("{ entity(name: \"task\") { source label(locale: \"zh-CN\") fields { name source } } plugins { id enabled enabledVersion } }");
        Assert.Equal("tasks", entity["entity"]!["source"]!.GetValue<string>());
        Assert.Equal("任务", entity["entity"]!["label"]!.GetValue<string>());
        Assert.Contains(entity["plugins"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "tasks" && p["enabled"]!.GetValue<bool>() && p["enabledVersion"]!.GetValue<string>() == "1.2.0");
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await other.PostAsync("{ tasks { totalCount } taskSummary { open } }")).FirstErrorCode);
        Assert.Null((await other.QueryAsync("{ entity(name: \"task\") { name } }"))["entity"]);
    }

    [Fact]
    public async Task Seed_data_goes_in_once()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        Assert.Equal("Welcome 欢迎", (await client.QueryAsync("{ tasks { nodes { title } } }"))["tasks"]!["nodes"]![0]!["title"]!.GetValue<string>());

        await client.MutateAsync("mutation { disablePlugin(id: \"tasks\") { userErrors { code } } }");
        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        Assert.Equal(1, await TaskCountAsync(client));
    }

    [Fact]
    public async Task A_before_hook_can_change_the_record()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var task = (await client.MutateAsync(CreateTask, new { title = "  Call    李雷   tomorrow " }))["task"]!;
        Assert.Equal("Call 李雷 tomorrow", task["title"]!.GetValue<string>());
        Assert.Equal(3, task["priority"]!.GetValue<int>());
        Assert.Equal("TSK-002", task["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_validator_can_reject_with_a_field_error_and_nothing_is_written()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var payload = (await client.QueryAsync(CreateTask, new { title = "This is forbidden" }))["createTask"]!;
        Assert.Equal(("REJECTED", "title"), (payload["userErrors"]![0]!["code"]!.GetValue<string>(), payload["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Equal(1, await TaskCountAsync(client));
    }

    [Fact]
    public async Task A_throwing_hook_fails_only_its_own_write_with_plugin_error()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        using var bystander = await fixture.TenantWithAsync("tasks");
        var payload = (await client.QueryAsync(CreateTask, new { title = "boom" }))["createTask"]!;
        var error = payload["userErrors"]![0]!;
        Assert.Equal("PLUGIN_ERROR", error["code"]!.GetValue<string>());
        Assert.Contains("'tasks'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await TaskCountAsync(client));

        await client.MutateAsync(CreateTask, new { title = "fine" });
        await bystander.MutateAsync(CreateTask, new { title = "also fine" });
        Assert.Equal(2, await TaskCountAsync(client));
    }

    [Fact]
    public async Task A_plugin_mutation_writes_through_the_pipeline_and_after_hooks_follow_the_commit()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var id = (await client.MutateAsync(CreateTask, new { title = "Ship it" }))["task"]!["id"]!.GetValue<string>();

        var done = await client.MutateAsync("mutation($id: ID!) { completeTask(id: $id) { result { status version history { operation } } userErrors { code } } }", new { id });
        Assert.Equal("done", done["result"]!["status"]!.GetValue<string>());
        Assert.Equal(2, done["result"]!["version"]!.GetValue<int>());

        await fixture.Host.Service<OutboxDispatcher>().DrainAsync(client.TenantId, CancellationToken.None);
        var events = await client.QueryAsync("query($id: ID!) { task(id: $id) { events { nodes { message } } } }", new { id });
        Assert.Equal("completed", events["task"]!["events"]!["nodes"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plugin_mutation_is_all_or_nothing()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        const string Pair = "mutation($title: String!) { createTaskPair(title: $title) { result { title } userErrors { field code message } } }";

        var crashed = (await client.QueryAsync(Pair, new { title = "crash" }))["createTaskPair"]!;
        Assert.Equal("PLUGIN_ERROR", crashed["userErrors"]![0]!["code"]!.GetValue<string>());
        var refused = (await client.QueryAsync(Pair, new { title = "refuse" }))["createTaskPair"]!;
        Assert.Equal(("PAIR_REFUSED", "title"), (refused["userErrors"]![0]!["code"]!.GetValue<string>(), refused["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Equal(1, await TaskCountAsync(client));

        var made = await client.MutateAsync(Pair, new { title = "pair" });
        Assert.Equal(["pair (1)", "pair (2)"], made["result"]!.AsArray().Select(t => t!["title"]!.GetValue<string>()));
        Assert.Equal(3, await TaskCountAsync(client));
    }

    [Fact]
    public async Task A_plugin_mutation_refuses_a_bad_id_with_a_user_error()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var payload = (await client.QueryAsync("mutation { completeTask(id: \"nonsense\") { userErrors { field code } } }"))["completeTask"]!;
        Assert.Equal(("INVALID_ID", "id"), (payload["userErrors"]![0]!["code"]!.GetValue<string>(), payload["userErrors"]![0]!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_plugin_query_returns_its_own_object_type()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(CreateTask, new { title = "Two" });
        var summary = (await client.QueryAsync("{ taskSummary { open done openTitles } }"))["taskSummary"]!;
        Assert.Equal(2, summary["open"]!.GetValue<int>());
        Assert.Equal(["Welcome 欢迎", "Two"], summary["openTitles"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task A_plugin_argument_declared_as_a_list_of_non_null_items_is_in_the_schema_as_such()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(CreateTask, new { title = "Two" });
        var summary = (await client.QueryAsync("query($x: [String!]) { taskSummary(except: $x) { openTitles } }", new { x = new[] { "Two" } }))["taskSummary"]!;
        Assert.Equal(["Welcome 欢迎"], summary["openTitles"]!.AsArray().Select(t => t!.GetValue<string>()));
        var argument = (await client.QueryAsync("{ __schema { queryType { fields { name args { name type { kind ofType { kind ofType { name } } } } } } } }"))["__schema"]!["queryType"]!["fields"]!.AsArray()
            .Single(f => f!["name"]!.GetValue<string>() == "taskSummary")!["args"]![0]!;
        Assert.Equal(("LIST", "NON_NULL", "String"), (argument["type"]!["kind"]!.GetValue<string>(), argument["type"]!["ofType"]!["kind"]!.GetValue<string>(), argument["type"]!["ofType"]!["ofType"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_scheduled_job_runs_once_per_due_time_even_when_two_schedulers_race()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var scheduler = fixture.Host.Service<PluginJobScheduler>();
        var start = new DateTime(2031, 3, 1, 7, 0, 0, DateTimeKind.Utc);
        // Enabling started the schedule on the host's clock, years earlier: the runs missed since collapse into one, the latest.
        await scheduler.RunDueAsync(client.TenantId, start, CancellationToken.None);

        var due = start.AddHours(1).AddSeconds(5);
        await Task.WhenAll(scheduler.RunDueAsync(client.TenantId, due, CancellationToken.None), scheduler.RunDueAsync(client.TenantId, due, CancellationToken.None));
        await scheduler.RunDueAsync(client.TenantId, due.AddMinutes(30), CancellationToken.None);

        var events = await client.QueryAsync("{ taskEvents { nodes { message } } }");
        Assert.Equal(["digest 2031-02-28: 1 open", "digest 2031-03-01: 1 open"], events["taskEvents"]!["nodes"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));

        await scheduler.RunDueAsync(client.TenantId, start.AddDays(3).AddHours(2), CancellationToken.None);
        events = await client.QueryAsync("{ taskEvents { totalCount } }");
        Assert.Equal(3, events["taskEvents"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Disabling_removes_the_api_and_keeps_the_data_for_when_it_comes_back()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(CreateTask, new { title = "Keep me" });

        await client.MutateAsync("mutation { disablePlugin(id: \"tasks\") { userErrors { code } } }");
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await client.PostAsync("{ tasks { totalCount } }")).FirstErrorCode);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await client.PostAsync("mutation { completeTask(id: \"x\") { userErrors { code } } }")).FirstErrorCode);

        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        Assert.Equal(2, await TaskCountAsync(client));
    }

    [Fact]
    public async Task Tenants_may_add_custom_fields_to_plugin_entities_and_keep_them_across_disable_and_enable()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(Schemas.AddField, new { entity = "task", input = Schemas.Field("customerRef", "TEXT") });
        await client.MutateAsync("mutation { createTask(input: { title: \"t\", customerRef: \"C-1\" }) { userErrors { code } } }");

        await client.MutateAsync("mutation { disablePlugin(id: \"tasks\") { userErrors { code } } }");
        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");

        var data = await client.QueryAsync("{ tasks(filter: { customerRef: { eq: \"C-1\" } }) { nodes { customerRef } } entity(name: \"task\") { field(name: \"customerRef\") { source state } } }");
        Assert.Equal("C-1", data["tasks"]!["nodes"]![0]!["customerRef"]!.GetValue<string>());
        Assert.Equal("custom", data["entity"]!["field"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plugin_never_takes_over_a_field_name_the_tenant_already_uses()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(Schemas.AddField, new { entity = "task", input = Schemas.Field("estimateHours", "TEXT") });
        var clash = await client.QueryAsync("mutation { enablePlugin(id: \"tasks-extra\") { userErrors { code message } } }");
        Assert.Equal("NAME_TAKEN", clash["enablePlugin"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("never replaces", clash["enablePlugin"]!["userErrors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var field = await client.QueryAsync("{ entity(name: \"task\") { field(name: \"estimateHours\") { type source } } }");
        Assert.Equal(("TEXT", "custom"), (field["entity"]!["field"]!["type"]!.GetValue<string>(), field["entity"]!["field"]!["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_dependent_plugin_needs_its_dependency_enabled_and_keeps_it_enabled()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var early = await client.QueryAsync("mutation { enablePlugin(id: \"tasks-extra\") { userErrors { code message } } }");
        Assert.Equal("DEPENDENCY_NOT_ENABLED", early["enablePlugin"]!["userErrors"]![0]!["code"]!.GetValue<string>());

        await client.MutateAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        await client.MutateAsync("mutation { enablePlugin(id: \"tasks-extra\") { userErrors { code } } }");
        // The plugin extends the entity in two calls: the fields of both are there.
        var task = await client.MutateAsync("mutation { createTask(input: { title: \"t\", estimateHours: 2.5, spentHours: 1.5 }) { task { estimateHours spentHours } userErrors { code } } }");
        Assert.Equal((2.5m, 1.5m), (task["task"]!["estimateHours"]!.GetValue<decimal>(), task["task"]!["spentHours"]!.GetValue<decimal>()));

        var blocked = await client.QueryAsync("mutation { disablePlugin(id: \"tasks\") { userErrors { code message } } }");
        Assert.Equal("DEPENDENCY_NOT_ENABLED", blocked["disablePlugin"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_admins_enable_plugins()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var key = await fixture.Host.Service<CrmEngine.Engine.Tenancy.TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "user", ["user"], null, null, CancellationToken.None);
        using var user = fixture.Host.Client(admin.TenantId, key.Key);
        var data = await user.QueryAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { code } } }");
        Assert.Equal("FORBIDDEN", data["enablePlugin"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }
}
