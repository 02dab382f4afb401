using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests;

/// <summary>
/// Runs the README's walkthrough, its query examples and its rules examples exactly as written:
/// their bash blocks, in README order, in one bash session (the later sections continue from the
/// walkthrough's data), with real curl against the real host. Only the address and the data
/// directory are swapped for this test's own.
/// </summary>
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    // As on a fresh install: the demo tenant, with the plugins appsettings.json enables by default (sales).
    private readonly CrmHost _host = new(settings: new Dictionary<string, string?> { ["Crm:CreateDemoTenant"] = "true", ["Crm:DefaultPlugins"] = "sales" });

    [GeneratedRegex(@"(?:<!-- walkthrough: expect (?<code>[A-Z_]+) -->\s*)?```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_walkthrough_query_and_rules_examples_work_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var walkthrough = Blocks(readme, "## Walkthrough");
        var queries = Blocks(readme, "## Queries");
        var rules = Blocks(readme, "## Rules");
        Assert.True(walkthrough.Count >= 8, $"Expected the walkthrough's bash blocks, found {walkthrough.Count}.");
        Assert.True(queries.Count >= 6, $"Expected the query examples' bash blocks, found {queries.Count}.");
        Assert.True(rules.Count >= 8, $"Expected the rules section's bash blocks, found {rules.Count}.");
        var blocks = walkthrough.Concat(queries).Concat(rules).ToList();

        var baseAddress = _host.BaseAddress.ToString().TrimEnd('/');
        var script = new StringBuilder();
        for (var i = 0; i < blocks.Count; i++)
        {
            script.Append("echo '@@block ").Append(i).Append("@@'\n");
            script.Append(blocks[i].Body.Replace("http://localhost:5080", baseAddress, StringComparison.Ordinal)
                .Replace("host/CrmEngine.Host/data", _host.DataDirectory, StringComparison.Ordinal));
        }

        var output = await RunBashAsync(script.ToString());
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "crm-walkthrough.out"), output);
        var outputs = output.Split("@@block ").Skip(1).Select(o => o[(o.IndexOf("@@", StringComparison.Ordinal) + 2)..]).ToList();
        Assert.Equal(blocks.Count, outputs.Count);

        for (var i = 0; i < blocks.Count; i++)
        {
            var text = outputs[i];
            if (blocks[i].Expect is { } code)
            {
                Assert.Contains($"\"code\":\"{code}\"", text, StringComparison.Ordinal);
                continue;
            }

            Assert.False(text.Contains("\"errors\"", StringComparison.Ordinal), $"Block {i} returned errors:\n{text}");
            Assert.False(text.Contains("\"userErrors\":[{", StringComparison.Ordinal), $"Block {i} returned userErrors:\n{text}");
        }

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
    }

    /// <summary>The bash blocks of one README section, each with the error code it is expected to show, if any.</summary>
    private static List<(string Body, string? Expect)> Blocks(string readme, string heading)
    {
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section '{heading}'.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return BashBlock().Matches(section).Select(m => (m.Groups["body"].Value, m.Groups["code"].Success ? m.Groups["code"].Value : null)).ToList();
    }

    private static async Task<string> RunBashAsync(string script)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"bash exited with {process.ExitCode}: {await stderr}");
        Assert.True((await stderr).Length == 0 || !(await stderr).Contains("command not found", StringComparison.Ordinal), await stderr);
        return await stdout;
    }
}
