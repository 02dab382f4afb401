using System.Diagnostics;
using System.Net.Http.Json;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Rules.RuleQueries;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Observability;

/// <summary>
/// A request's trace, as a collector receives it: the HTTP server span continues the caller's
/// traceparent, and under it the GraphQL operation, the write with its stages, each hook and rule,
/// and the database commands. The engine's metrics count requests, time writes and count rule limit hits.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class TracingTests(TelemetryFixture fixture)
{
    private const string CreateProject = "mutation($t: String!) { createProject(input: { title: $t }) { project { id } userErrors { code message } } }";

    [Fact]
    public async Task A_create_is_traced_from_the_http_request_through_every_pipeline_stage_its_rule_and_the_database()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "shout", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "record.title = record.title.toUpperCase();" });

        var (trace, response) = await TracedAsync(client, CreateProject, new { t = "traced" });
        Assert.Empty((await GraphQLResponse.ReadAsync(response)).Data!["createProject"]!["userErrors"]!.AsArray());

        var spans = await SpansAsync(trace, s => s.OperationName == "crm.write.persist");
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        var graphql = Assert.Single(spans, s => s.OperationName == "crm.graphql");
        Assert.Equal(server.SpanId, graphql.ParentSpanId);
        Assert.Equal("mutation", graphql.GetTagItem("graphql.operation.type"));
        var write = Assert.Single(spans, s => s.OperationName == "crm.write");
        Assert.Equal(("create", "project", client.TenantId), (write.GetTagItem(CrmTelemetry.OperationTag), write.GetTagItem(CrmTelemetry.EntityTag), write.GetTagItem(CrmTelemetry.TenantTag)));
        var stages = spans.Where(s => s.ParentSpanId == write.SpanId && s.OperationName.StartsWith("crm.write.", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).Select(s => s.OperationName);
        Assert.Equal(["crm.write.validate", "crm.write.before", "crm.write.persist"], stages);
        // The rules' hook; the duplicate check's may run too (its tenant's rules not yet cached).
        var hook = Assert.Single(spans, s => s.OperationName == "crm.hook.before" && Equals(s.GetTagItem(CrmTelemetry.HookSourceTag), "rules"));
        Assert.Equal(spans.Single(s => s.OperationName == "crm.write.before").SpanId, hook.ParentSpanId);
        var rule = Assert.Single(spans, s => s.OperationName == "crm.rule");
        Assert.Equal(("shout", "Succeeded"), (rule.GetTagItem(CrmTelemetry.RuleTag), rule.GetTagItem(CrmTelemetry.OutcomeTag)));
        Assert.Equal(hook.SpanId, rule.ParentSpanId);
        // The database commands, from EF Core's instrumentation (SQLite) or Npgsql's.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && s.Source.Name != CrmTelemetry.Name && s.Source.Name != "System.Net.Http");
    }

    [Fact]
    public async Task A_refused_write_says_why_on_its_span_and_counts_as_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "no-nope", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "if (record.title === 'nope') crm.reject('Not that one.');" });

        var (trace, _) = await TracedAsync(client, CreateProject, new { t = "nope" });

        var write = Assert.Single(await SpansAsync(trace, s => s.OperationName == "crm.write"), s => s.OperationName == "crm.write");
        Assert.Equal("refused", write.GetTagItem(CrmTelemetry.OutcomeTag));
        Assert.NotNull(write.GetTagItem(CrmTelemetry.ErrorCodeTag));
        Assert.Contains(fixture.Measurements, m => m.Instrument == "crm.write.duration" && (string?)m.Tag(CrmTelemetry.OutcomeTag) == "refused" && (string?)m.Tag(CrmTelemetry.OperationTag) == "create");
    }

    [Fact]
    public async Task Requests_are_counted_by_type_and_outcome_and_writes_are_timed()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var before = Count("crm.graphql.requests", "mutation", "ok");
        var refusedBefore = Count("crm.graphql.requests", "unknown", "refused");
        var writesBefore = fixture.Measurements.Count(m => m.Instrument == "crm.write.duration" && (string?)m.Tag(CrmTelemetry.OutcomeTag) == "ok");

        await client.MutateAsync(CreateProject, new { t = "one" });
        await client.MutateAsync(CreateProject, new { t = "two" });
        await client.PostAsync("{ projects { nodes { nope } } ");

        // Other tests on this host count too: at least ours are there.
        Assert.True(Count("crm.graphql.requests", "mutation", "ok") >= before + 2);
        Assert.True(Count("crm.graphql.requests", "unknown", "refused") >= refusedBefore + 1);
        var writes = fixture.Measurements.Where(m => m.Instrument == "crm.write.duration" && (string?)m.Tag(CrmTelemetry.OutcomeTag) == "ok").ToList();
        Assert.True(writes.Count >= writesBefore + 2);
        Assert.All(writes, w => Assert.InRange(w.Value, 0, 60));
    }

    [Fact]
    public async Task A_rule_stopped_by_its_limit_is_counted_by_limit()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "spin", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "while (true) {}" });
        var before = fixture.Measurements.Count(m => m.Instrument == "crm.rules.limit_hits" && (string?)m.Tag(CrmTelemetry.RuleLimitTag) == "statements");

        var error = (await client.QueryAsync(CreateProject, new { t = "spin" }))["createProject"]!["userErrors"]![0]!;

        Assert.Equal("RULE_LIMIT_EXCEEDED", error["code"]!.GetValue<string>());
        Assert.Equal(before + 1, fixture.Measurements.Count(m => m.Instrument == "crm.rules.limit_hits" && (string?)m.Tag(CrmTelemetry.RuleLimitTag) == "statements"));
    }

    [Fact]
    public async Task The_after_stage_records_how_long_a_change_waited_in_the_outbox()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var before = fixture.Measurements.Count(m => m.Instrument == "crm.outbox.lag");

        await client.MutateAsync(CreateProject, new { t = "after" });

        var deadline = Stopwatch.StartNew();
        while (fixture.Measurements.Count(m => m.Instrument == "crm.outbox.lag") <= before && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        var lag = fixture.Measurements.Where(m => m.Instrument == "crm.outbox.lag").Skip(before).FirstOrDefault();
        Assert.NotNull(lag);
        Assert.InRange(lag.Value, 0, 30);
    }

    private long Count(string instrument, string type, string outcome) =>
        (long)fixture.Measurements.Where(m => m.Instrument == instrument && (string?)m.Tag("graphql.operation.type") == type && (string?)m.Tag(CrmTelemetry.OutcomeTag) == outcome).Sum(m => m.Value);

    /// <summary>Sends a GraphQL request as part of a new sampled trace, as a traced caller would.</summary>
    private static async Task<(ActivityTraceId Trace, HttpResponseMessage Response)> TracedAsync(TenantClient client, string query, object variables)
    {
        var trace = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return (trace, await client.Http.SendAsync(request));
    }

    /// <summary>The trace's spans once the server span (the last to end) and <paramref name="also"/> are in.</summary>
    private async Task<IReadOnlyList<Activity>> SpansAsync(ActivityTraceId trace, Func<Activity, bool> also)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var spans = fixture.Spans.Of(trace);
            if (spans.Any(s => s.Kind == ActivityKind.Server) && spans.Any(also))
            {
                return spans;
            }

            await Task.Delay(20);
        }

        return fixture.Spans.Of(trace);
    }
}
