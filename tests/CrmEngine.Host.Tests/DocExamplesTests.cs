using System.Text.RegularExpressions;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests;

/// <summary>
/// Runs the README's walkthrough and the examples of docs/queries.md, docs/rules.md and
/// docs/security.md exactly as written: their bash blocks, in that order, in one bash session (each
/// document continues from the data of the ones before), with real curl against the real host. Only
/// the address and the data directory are swapped for this test's own.
/// </summary>
public sealed class DocExamplesTests : IDisposable
{
    // As on a fresh install: the demo tenant, with the plugins appsettings.json enables by default (sales).
    private readonly CrmHost _host = new(settings: new Dictionary<string, string?> { ["Crm:CreateDemoTenant"] = "true", ["Crm:DefaultPlugins"] = "sales", ["Crm:PluginDirectory"] = HostProcess.ModulePlugins });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_walkthrough_and_the_query_rules_and_security_docs_work_as_written()
    {
        var walkthrough = DocExamples.Blocks(DocExamples.Readme, DocExamples.Walkthrough);
        var queries = DocExamples.Blocks(DocExamples.Queries);
        var rules = DocExamples.Blocks(DocExamples.Rules);
        var security = DocExamples.Blocks(DocExamples.Security);
        Assert.True(walkthrough.Count >= 3, $"Expected the README walkthrough's bash blocks, found {walkthrough.Count}.");
        Assert.True(queries.Count >= 15, $"Expected the bash blocks of {DocExamples.Queries}, found {queries.Count}.");
        Assert.True(rules.Count >= 8, $"Expected the bash blocks of {DocExamples.Rules}, found {rules.Count}.");
        Assert.True(security.Count >= 5, $"Expected the bash blocks of {DocExamples.Security}, found {security.Count}.");
        var outputs = await DocExamples.RunAsync(_host, [.. walkthrough, .. queries, .. rules, .. security], "crm-doc-examples.out");
        var output = string.Concat(outputs);
        string Of(int skip, int take) => string.Concat(outputs.Skip(skip).Take(take));

        // The README: the demo tenant's sales data answers, and a field added to accounts is there at once.
        var readme = Of(0, walkthrough.Count);
        Assert.Matches("\"accounts\":\\{\"totalCount\":[1-9]", readme);
        Assert.Contains("\"account\":{\"id\":", readme, StringComparison.Ordinal);
        Assert.Contains("\"wechat\":\"example-tech\"", readme, StringComparison.Ordinal);

        // docs/queries.md: entities and records step by step, then filters, inverse lists, paging, aggregates and search.
        var examples = Of(walkthrough.Count, queries.Count);
        Assert.Contains("PRJ-0001", examples, StringComparison.Ordinal);
        Assert.Contains("深圳华为技术有限公司", examples, StringComparison.Ordinal);
        Assert.Contains("\"totalCount\":1", examples, StringComparison.Ordinal);
        Assert.Contains("priority: Long", examples, StringComparison.Ordinal);
        Assert.Contains("\"operation\":\"restore\"", examples, StringComparison.Ordinal);
        Assert.Contains("计划中", examples, StringComparison.Ordinal);
        Assert.Contains("\"totalCount\":2", examples, StringComparison.Ordinal);
        Assert.Contains("\"running\":{\"nodes\":[{\"name\":\"深圳华为技术有限公司\"}]}", examples, StringComparison.Ordinal);
        Assert.Contains("\"hasNextPage\":true", examples, StringComparison.Ordinal);
        Assert.Contains("\"sum\":{\"budget\":180000.5}", examples, StringComparison.Ordinal);
        Assert.Contains("\"record\":{\"name\":\"深圳华为技术有限公司\",\"industry\":\"telecom\"}", examples, StringComparison.Ordinal);
        Assert.Contains("Store opening", outputs[walkthrough.Count + queries.Count - 1], StringComparison.Ordinal);

        // docs/rules.md: a rejecting before-rule, an after-rule's notification, a scheduled rule dry-run and run, a limit.
        var scripted = Of(walkthrough.Count + queries.Count, rules.Count);
        Assert.Contains("已存在同名客户：深圳华为技术有限公司", scripted, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(output, "项目「CRM rollout」已启动，预算 120000.5 元"));
        Assert.Contains("\"conditionMet\":true", scripted, StringComparison.Ordinal);
        Assert.Contains("30 天未跟进，自动退回公海", scripted, StringComparison.Ordinal);
        Assert.Contains("退回公海 深圳华为技术有限公司", scripted, StringComparison.Ordinal);
        Assert.Contains("\"inPool\":true", scripted, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"RULE_LIMIT_EXCEEDED\"", scripted, StringComparison.Ordinal);

        // docs/security.md: the rep sees only his own project, and its budget is hidden from him.
        var asRep = Of(walkthrough.Count + queries.Count + rules.Count, security.Count);
        Assert.Contains("\"projects\":{\"totalCount\":0}", asRep, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"李雷的项目\",\"budget\":null", asRep, StringComparison.Ordinal);
        Assert.Contains("\"event\":\"key_created\"", asRep, StringComparison.Ordinal);
        Assert.Contains("\"event\":\"access_denied\"", asRep, StringComparison.Ordinal);
    }
}
