using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// Runs README sections as written: their bash blocks in order, in one bash session, with only the
/// host's address and data directory swapped for a test host's. A block preceded by
/// <c>&lt;!-- walkthrough: expect CODE --&gt;</c> must show that error code; the others none.
/// </summary>
public static partial class ReadmeScript
{
    [GeneratedRegex(@"(?:<!-- walkthrough: expect (?<code>[A-Z_]+) -->\s*)?```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    public static Task<string> ReadAsync() => File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "README.md"));

    /// <summary>The bash blocks of one README section, each with the error code it is expected to show, if any.</summary>
    public static List<(string Body, string? Expect)> Blocks(string readme, string heading)
    {
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section '{heading}'.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return BashBlock().Matches(section).Select(m => (m.Groups["body"].Value, m.Groups["code"].Success ? m.Groups["code"].Value : null)).ToList();
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
