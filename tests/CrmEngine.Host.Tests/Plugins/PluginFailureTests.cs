using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.PluginHost.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// Wherever a plugin fails (validator, before hook, after hook, query, mutation, job, seed data, rule
/// function), the host logs the exception with its stack trace under a correlation id, and the
/// client gets PLUGIN_ERROR with the plugin's id and that correlation id, never the exception's text.
/// The tasks test plugin throws, with a "SECRET" in each message, where the tests ask it to.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed partial class PluginFailureTests(PluginHostFixture fixture)
{
    private const string CreateTask = "mutation($title: String!) { createTask(input: { title: $title }) { task { id } userErrors { field code message } } }";

    [GeneratedRegex("correlation id ([0-9a-f]{32})")]
    private static partial Regex CorrelationIdIn();

    [Theory]
    [InlineData("boom", "before hook (Exploder)", "the exploder exploded")]
    [InlineData("validator boom", "validator (ForbiddenWords)", "SECRET validator detail")]
    public async Task A_failing_hook_is_logged_with_its_stack_trace_and_the_client_gets_the_plugin_and_a_correlation_id_not_the_exception_text(string title, string hook, string secret)
    {
        using var client = await fixture.TenantWithAsync("tasks");

        var error = (await client.QueryAsync(CreateTask, new { title }))["createTask"]!["userErrors"]![0]!;

        Assert.Equal("PLUGIN_ERROR", error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.Contains($"Plugin 'tasks' failed in its {hook} for this task create. Nothing was written.", message, StringComparison.Ordinal);
        AssertLoggedNotShown(message, secret, client.TenantId);
        Assert.Equal(0, (await client.QueryAsync("query($t: String!) { tasks(filter: { title: { eq: $t } }) { totalCount } }", new { t = title }))["tasks"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_correlation_id_is_the_requests_trace_id_when_the_caller_sends_one()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = CreateTask, variables = new { title = "boom" } }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.Http.SendAsync(request);
        var body = await GraphQLResponse.ReadAsync(response);

        var message = body.Data!["createTask"]!["userErrors"]![0]!["message"]!.GetValue<string>();
        Assert.Equal(traceId, CorrelationIdIn().Match(message).Groups[1].Value);
        AssertLoggedNotShown(message, "the exploder exploded", client.TenantId);
    }

    [Fact]
    public async Task A_failing_mutation_is_reported_in_its_userErrors_and_writes_nothing()
    {
        using var client = await fixture.TenantWithAsync("tasks");

        var error = (await client.QueryAsync("mutation { createTaskPair(title: \"crash\") { result { title } userErrors { code message } } }"))["createTaskPair"]!["userErrors"]![0]!;

        Assert.Equal("PLUGIN_ERROR", error["code"]!.GetValue<string>());
        Assert.Contains("Plugin 'tasks' failed in createTaskPair. Nothing was written.", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertLoggedNotShown(error["message"]!.GetValue<string>(), "crashed after the first write", client.TenantId);
    }

    [Fact]
    public async Task A_failing_query_is_a_graphql_error_naming_the_plugin_and_the_correlation_id()
    {
        using var client = await fixture.TenantWithAsync("tasks");

        var response = await client.PostAsync("{ explodingReport }");

        Assert.Equal("PLUGIN_ERROR", response.FirstErrorCode);
        var message = response.Errors![0]!["message"]!.GetValue<string>();
        Assert.StartsWith("Plugin 'tasks' failed in explodingReport. The error was logged with correlation id ", message, StringComparison.Ordinal);
        AssertLoggedNotShown(message, "SECRET report detail", client.TenantId);
        Assert.DoesNotContain("hunter2", response.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_after_hook_is_logged_and_its_change_keeps_only_the_safe_message_while_it_is_retried()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        var id = (await client.MutateAsync(CreateTask, new { title = "after boom" }))["task"]!["id"]!.GetValue<string>();
        await client.MutateAsync("mutation($id: ID!) { completeTask(id: $id) { result { status } userErrors { code } } }", new { id });

        await fixture.Host.Service<OutboxDispatcher>().DrainAsync(client.TenantId, CancellationToken.None);

        var store = await fixture.Host.Service<TenantRegistry>().GetAsync(client.TenantId, CancellationToken.None);
        await using var context = store.CreateContext();
        var change = await context.Set<OutboxRow>().Where(r => r.Operation == "update" && r.ProcessedAt == null).SingleAsync();
        Assert.Equal(1, change.Attempts);
        Assert.Contains("Plugin 'tasks' failed in its after hook (CompletionLog) for task", change.LastError, StringComparison.Ordinal);
        AssertLoggedNotShown(change.LastError!, "SECRET after-hook detail", client.TenantId);
    }

    [Fact]
    public async Task A_failing_rule_function_reaches_the_script_and_the_client_as_PLUGIN_ERROR_with_the_correlation_id()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync("mutation($input: SaveRuleInput!) { saveRule(input: $input) { rule { name } userErrors { code message } } }", new
        {
            input = new { name = "label", entity = "task", triggers = new[] { "BEFORE_CREATE" }, script = "record.title = crm.plugins.tasks.priorityLabel(99);" },
        });

        var error = (await client.QueryAsync(CreateTask, new { title = "x" }))["createTask"]!["userErrors"]![0]!;

        Assert.Equal("PLUGIN_ERROR", error["code"]!.GetValue<string>());
        Assert.Contains("Plugin 'tasks' failed in its rule function priorityLabel (called by rule 'label')", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertLoggedNotShown(error["message"]!.GetValue<string>(), "SECRET function detail", client.TenantId);
    }

    [Fact]
    public async Task Failing_seed_data_is_reported_to_the_admin_who_enabled_the_plugin()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync("mutation { createUser(email: \"breaker@example.com\", displayName: \"Seed Breaker\", roles: [\"user\"]) { user { id } userErrors { code message } } }");

        var error = (await client.QueryAsync("mutation { enablePlugin(id: \"tasks\") { userErrors { field code message } } }"))["enablePlugin"]!["userErrors"]![0]!;

        Assert.Equal(("PLUGIN_ERROR", "id"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains("Plugin 'tasks' failed in its seed data (WelcomeTask). The plugin was enabled without it; enabling it again retries.", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertLoggedNotShown(error["message"]!.GetValue<string>(), "SECRET seed detail", client.TenantId);
    }

    [Fact]
    public async Task A_failing_job_is_logged_with_its_stack_trace_and_a_correlation_id()
    {
        using var client = await fixture.TenantWithAsync("tasks");
        await client.MutateAsync(CreateTask, new { title = "job boom" });
        var scheduler = fixture.Host.Service<PluginJobScheduler>();
        var start = new DateTime(2032, 5, 1, 7, 0, 0, DateTimeKind.Utc);
        // Only this tenant's jobs: the shared host's other tenants have schedules of their own (one waits a minute for a release).
        await scheduler.RunDueAsync(client.TenantId, start, CancellationToken.None);

        await scheduler.RunDueAsync(client.TenantId, start.AddHours(1).AddSeconds(5), CancellationToken.None);

        // Enabling started the schedule on the host's clock, years before: the first pass ran (and failed) the collapsed catch-up run; this is the next one.
        var logged = Assert.Single(fixture.Logs.With("TenantId", client.TenantId), e => e.Exception?.Message.Contains("SECRET job detail", StringComparison.Ordinal) == true && e.Message.Contains("2032-05-01T08:00", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Error, "tasks"), (logged.Level, logged.Properties["PluginId"]));
        Assert.Matches("^[0-9a-f]{32}$", (string)logged.Properties["CorrelationId"]!);
        Assert.Contains("MorningDigest", logged.Exception!.StackTrace, StringComparison.Ordinal);
    }

    /// <summary>
    /// The client's message carries a correlation id and not the secret; the host logged, under that
    /// id (as a property of the line and in its scope), an error with the plugin, the tenant and the
    /// exception that holds the secret, stack trace and all. Returns the correlation id.
    /// </summary>
    private string AssertLoggedNotShown(string clientMessage, string secret, string tenantId)
    {
        Assert.DoesNotContain(secret, clientMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", clientMessage, StringComparison.Ordinal);
        var correlationId = CorrelationIdIn().Match(clientMessage) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException($"No correlation id in: {clientMessage}");
        var logged = Assert.Single(fixture.Logs.With("CorrelationId", correlationId));
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Equal((correlationId, correlationId), (logged.Properties["CorrelationId"], logged.Scope["CorrelationId"]));
        Assert.Equal(("tasks", tenantId), (logged.Properties["PluginId"], logged.Properties["TenantId"]));
        Assert.Contains(secret, logged.Exception!.Message, StringComparison.Ordinal);
        Assert.Contains("TestPlugins.Tasks", logged.Exception.StackTrace, StringComparison.Ordinal);
        return correlationId;
    }
}
