using System.Text.RegularExpressions;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests;

/// <summary>
/// Runs the README's walkthrough, its query examples and its rules examples exactly as written:
/// their bash blocks, in README order, in one bash session (the later sections continue from the
/// walkthrough's data), with real curl against the real host. Only the address and the data
/// directory are swapped for this test's own.
/// </summary>
public sealed class ReadmeWalkthroughTests : IDisposable
{
    // As on a fresh install: the demo tenant, with the plugins appsettings.json enables by default (sales).
    private readonly CrmHost _host = new(settings: new Dictionary<string, string?> { ["Crm:CreateDemoTenant"] = "true", ["Crm:DefaultPlugins"] = "sales" });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_walkthrough_query_and_rules_examples_work_as_written()
    {
        var readme = await ReadmeScript.ReadAsync();
        var walkthrough = ReadmeScript.Blocks(readme, "## Walkthrough");
        var queries = ReadmeScript.Blocks(readme, "## Queries");
        var rules = ReadmeScript.Blocks(readme, "## Rules");
        var security = ReadmeScript.Blocks(readme, "## Security");
        Assert.True(walkthrough.Count >= 8, $"Expected the walkthrough's bash blocks, found {walkthrough.Count}.");
        Assert.True(queries.Count >= 6, $"Expected the query examples' bash blocks, found {queries.Count}.");
        Assert.True(rules.Count >= 8, $"Expected the rules section's bash blocks, found {rules.Count}.");
        Assert.True(security.Count >= 5, $"Expected the security section's bash blocks, found {security.Count}.");
        var outputs = await ReadmeScript.RunAsync(_host, [.. walkthrough, .. queries, .. rules, .. security], "crm-walkthrough.out");
        var output = string.Concat(outputs);

        Assert.Contains("PRJ-0001", output, StringComparison.Ordinal);
        Assert.Contains("深圳华为技术有限公司", output, StringComparison.Ordinal);
        Assert.Contains("\"totalCount\":1", output, StringComparison.Ordinal);
        Assert.Contains("priority: Long", output, StringComparison.Ordinal);
        Assert.Contains("\"operation\":\"restore\"", output, StringComparison.Ordinal);
        Assert.Contains("计划中", output, StringComparison.Ordinal);

        // The query examples: filters, inverse lists, paging, aggregates and search found what the data holds.
        var examples = string.Concat(outputs.Skip(walkthrough.Count).Take(queries.Count));
        Assert.Contains("\"totalCount\":2", examples, StringComparison.Ordinal);
        Assert.Contains("\"running\":{\"nodes\":[{\"name\":\"深圳华为技术有限公司\"}]}", examples, StringComparison.Ordinal);
        Assert.Contains("\"hasNextPage\":true", examples, StringComparison.Ordinal);
        Assert.Contains("\"sum\":{\"budget\":180000.5}", examples, StringComparison.Ordinal);
        Assert.Contains("\"record\":{\"name\":\"深圳华为技术有限公司\",\"industry\":\"telecom\"}", examples, StringComparison.Ordinal);
        Assert.Contains("Store opening", outputs[walkthrough.Count + queries.Count - 1], StringComparison.Ordinal);

        Assert.Contains("已存在同名客户：深圳华为技术有限公司", output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(output, "项目「CRM rollout」已启动，预算 120000.5 元"));
        Assert.Contains("\"conditionMet\":true", output, StringComparison.Ordinal);
        Assert.Contains("30 天未跟进，自动退回公海", output, StringComparison.Ordinal);
        Assert.Contains("退回公海 深圳华为技术有限公司", output, StringComparison.Ordinal);
        Assert.Contains("\"inPool\":true", output, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"RULE_LIMIT_EXCEEDED\"", output, StringComparison.Ordinal);

        // The security examples: the rep sees only his own project, and its budget is hidden from him.
        var asRep = string.Concat(outputs.Skip(walkthrough.Count + queries.Count + rules.Count));
        Assert.Contains("\"projects\":{\"totalCount\":0}", asRep, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"李雷的项目\",\"budget\":null", asRep, StringComparison.Ordinal);
        Assert.Contains("\"event\":\"key_created\"", asRep, StringComparison.Ordinal);
        Assert.Contains("\"event\":\"access_denied\"", asRep, StringComparison.Ordinal);
    }
}
