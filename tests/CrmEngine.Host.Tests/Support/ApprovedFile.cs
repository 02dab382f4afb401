using System.Globalization;
using System.Text;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// A text checked into the repository as approved, like the SDK's public API: a test compares what
/// the code produces with it, and when they differ writes the new text beside it as
/// <c>&lt;name&gt;.received.&lt;ext&gt;</c> and fails with a diff. Approving a change is moving the
/// received file over the approved one (docs/contract.md).
/// </summary>
public static class ApprovedFile
{
    private const int Context = 3;
    private const int MaxDiffLines = 80;

    private static string RepositoryRoot => Repository.Root;

    /// <param name="approvedPath">The approved file, relative to the repository root, named like <c>x.approved.graphql</c>.</param>
    /// <param name="actual">What the code produces now.</param>
    public static void Verify(string approvedPath, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        var approvedFile = Path.Combine(RepositoryRoot, approvedPath);
        var receivedFile = approvedFile.Replace(".approved.", ".received.", StringComparison.Ordinal);
        var approved = File.Exists(approvedFile) ? File.ReadAllText(approvedFile).ReplaceLineEndings("\n") : string.Empty;
        if (approved == actual)
        {
            File.Delete(receivedFile);
            return;
        }

        File.WriteAllText(receivedFile, actual);
        Assert.Fail($"""
            {approvedPath} differs from what the code produces now (- approved, + received):

            {Diff(approved, actual)}
            The received text is in {Path.GetRelativePath(RepositoryRoot, receivedFile)}. If the change is intended, approve it:
              mv {Path.GetRelativePath(RepositoryRoot, receivedFile)} {approvedPath}
            """);
    }

    /// <summary>The lines that differ, between the common start and end of both texts, with a few lines of context.</summary>
    public static string Diff(string approved, string received)
    {
        var before = approved.Split('\n');
        var after = received.Split('\n');
        var start = 0;
        while (start < before.Length && start < after.Length && before[start] == after[start])
        {
            start++;
        }

        var end = 0;
        while (end < before.Length - start && end < after.Length - start && before[^(end + 1)] == after[^(end + 1)])
        {
            end++;
        }

        var diff = new StringBuilder($"@@ line {start + 1} @@\n");
        var lines = before[Math.Max(0, start - Context)..start].Select(l => "  " + l)
            .Concat(before[start..^end].Select(l => "- " + l))
            .Concat(after[start..^end].Select(l => "+ " + l))
            .Concat(before[^end..][..Math.Min(Context, end)].Select(l => "  " + l))
            .ToList();
        foreach (var line in lines.Take(MaxDiffLines))
        {
            diff.Append(line).Append('\n');
        }

        return lines.Count > MaxDiffLines ? diff.Append(CultureInfo.InvariantCulture, $"... and {lines.Count - MaxDiffLines} more lines\n").ToString() : diff.ToString();
    }
}
