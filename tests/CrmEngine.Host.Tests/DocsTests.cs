using System.Text;
using System.Text.RegularExpressions;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests;

/// <summary>
/// The repository's Markdown documents hold together: every bash example in them is run by a doc
/// test (<see cref="DocExamples.Executable"/>), every relative link leads to a file, and to a
/// heading of it, that exist, and no merge left its conflict markers behind.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed partial class DocsTests
{
    [GeneratedRegex(@"^(?<fence>```|~~~).*?^\k<fence>[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"(?<!!)\[[^\]\n]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(<{7}|>{7})( |$)", RegexOptions.Multiline)]
    private static partial Regex ConflictMarker();

    [Fact]
    public void Every_bash_example_in_the_docs_is_run_by_a_doc_test()
    {
        foreach (var path in MarkdownFiles())
        {
            var all = DocExamples.Blocks(path).Count;
            var run = DocExamples.Executable.Where(d => d.Path == path).Sum(d => DocExamples.Blocks(path, d.Section).Count);
            Assert.True(all == run, $"{path} has {all} bash blocks, of which the doc tests run {run}: run it in a doc test (DocExamples.Executable), or mark a block that is not meant to run as plain text.");
        }
    }

    [Fact]
    public void Every_relative_link_in_the_docs_leads_to_a_file_and_heading_that_exist()
    {
        var broken = new List<string>();
        foreach (var path in MarkdownFiles())
        {
            foreach (Match link in Link().Matches(Prose(path)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var resolved = file.Length == 0 ? path : Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Root, Path.GetDirectoryName(path)!, file))).Replace('\\', '/');
                var full = Path.Combine(Repository.Root, resolved);
                if (!File.Exists(full) && !Directory.Exists(full))
                {
                    broken.Add($"{path}: {target} (no {resolved})");
                }
                else if (hash >= 0 && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(target[(hash + 1)..]))
                {
                    broken.Add($"{path}: {target} (no such heading in {resolved})");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void No_doc_holds_the_markers_of_an_unresolved_merge()
    {
        var unresolved = MarkdownFiles().Where(path => ConflictMarker().IsMatch(DocExamples.Read(path).ReplaceLineEndings("\n"))).ToList();
        Assert.True(unresolved.Count == 0, "Merge conflict markers in: " + string.Join(", ", unresolved));
    }

    /// <summary>The repository's Markdown files, by their paths from its root (build output and npm packages aside).</summary>
    private static List<string> MarkdownFiles() =>
        Directory.EnumerateFiles(Repository.Root, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "node_modules" || part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A document without its code blocks, where a <c>#</c> or <c>](</c> is code, not Markdown.</summary>
    private static string Prose(string path) => FencedBlock().Replace(DocExamples.Read(path).ReplaceLineEndings("\n"), string.Empty);

    /// <summary>The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string path)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(Prose(path)))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups["title"].Value.Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }
}
