using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// Runs the docs' examples as written: their bash blocks in order, in one bash session, with only the
/// host's address and data directory swapped for a test host's. A block preceded by
/// <c>&lt;!-- walkthrough: expect CODE --&gt;</c> must show that error code; the others none.
/// </summary>
public static partial class DocExamples
{
    /// <summary>
    /// The documents whose bash blocks are examples run by a test, and the part of each that is run
    /// (null: the whole document). <c>DocsTests</c> checks that no bash block in the repository is
    /// left out of this list, so a new example is run or the build says so.
    /// </summary>
    public static readonly IReadOnlyList<(string Path, string? Section)> Executable =
    [
        (Readme, Walkthrough),
        (Queries, null),
        (Rules, null),
        (Security, null),
        (SalesReadme, null),
        (MarketingReadme, null),
        (PartnersReadme, null),
        (ServiceReadme, null),
    ];

    public const string Readme = "README.md";
    public const string Walkthrough = "## Walkthrough";
    public const string Queries = "docs/queries.md";
    public const string Rules = "docs/rules.md";
    public const string Security = "docs/security.md";
    public const string SalesReadme = "plugins/CrmEngine.Plugins.Sales/README.md";
    public const string MarketingReadme = "plugins/CrmEngine.Plugins.Marketing/README.md";
    public const string PartnersReadme = "plugins/CrmEngine.Plugins.Partners/README.md";
    public const string ServiceReadme = "plugins/CrmEngine.Plugins.Service/README.md";

    [GeneratedRegex(@"(?:<!-- walkthrough: expect (?<code>[A-Z_]+) -->\s*)?```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    /// <summary>A document of the repository, by its path from the repository's root.</summary>
    public static string Read(string path) => File.ReadAllText(Path.Combine(Repository.Root, path));

    /// <summary>The bash blocks of a document (or of one of its sections), each with the error code it is expected to show, if any.</summary>
    public static List<(string Body, string? Expect)> Blocks(string path, string? section = null)
    {
        var text = Read(path).ReplaceLineEndings("\n");
        if (section is not null)
        {
            var start = text.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"{path} has no section '{section}'.");
            var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            text = text[start..(end < 0 ? text.Length : end)];
        }

        return BashBlock().Matches(text).Select(m => (m.Groups["body"].Value, m.Groups["code"].Success ? m.Groups["code"].Value : null)).ToList();
    }

    /// <summary>Runs the blocks against <paramref name="host"/> and returns each block's output, after checking the expected codes and the absence of errors.</summary>
    public static async Task<List<string>> RunAsync(CrmHost host, IReadOnlyList<(string Body, string? Expect)> blocks, string transcript)
    {
        var baseAddress = host.BaseAddress.ToString().TrimEnd('/');
        var script = new StringBuilder();
        for (var i = 0; i < blocks.Count; i++)
        {
            script.Append("echo '@@block ").Append(i).Append("@@'\n");
            script.Append(blocks[i].Body.Replace("http://localhost:5080", baseAddress, StringComparison.Ordinal)
                .Replace("host/CrmEngine.Host/data", host.DataDirectory, StringComparison.Ordinal));
        }

        var output = await RunBashAsync(script.ToString());
        File.WriteAllText(Path.Combine(Path.GetTempPath(), transcript), output);
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

        return outputs;
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"bash exited with {process.ExitCode}: {await stderr}");
        Assert.True((await stderr).Length == 0 || !(await stderr).Contains("command not found", StringComparison.Ordinal), await stderr);
        return await stdout;
    }
}
