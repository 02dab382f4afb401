using System.Text.RegularExpressions;

namespace CrmEngine.Documents.Merge;

/// <summary>
/// Merge fields in template text: <c>{{customer.name}}</c>, a dotted path into the document's data.
/// Inside a line (a table row repeated per item of an inverse list), a path that starts with the
/// list's name reads the line (<c>{{lines.quantity}}</c>); any other path reads the record. A path
/// that leads nowhere, or to a value the caller may not read, is left empty.
/// </summary>
public static partial class Placeholders
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool HasAny(string text) => text.Contains("{{", StringComparison.Ordinal) && Pattern().IsMatch(text);

    /// <summary>The paths the text names, in order.</summary>
    public static IEnumerable<string> PathsIn(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The text with every merge field replaced by its value in <paramref name="scope"/>.</summary>
    public static string Fill(string text, MergeScope scope) => Pattern().Replace(text, m => scope.Resolve(m.Groups[1].Value) ?? string.Empty);

    /// <summary>The inverse list a piece of text repeats over: the first of its paths whose head is a list of the data; null when none is.</summary>
    public static string? ListIn(string text, IReadOnlyDictionary<string, object?> data) =>
        PathsIn(text).Select(p => p.Split('.')[0]).FirstOrDefault(head => data.GetValueOrDefault(head) is IReadOnlyList<Dictionary<string, object?>>);
}

/// <summary>Where paths are read: the record's data, and while a line is filled, that line under its list's name.</summary>
public sealed class MergeScope(IReadOnlyDictionary<string, object?> data, string? list = null, IReadOnlyDictionary<string, object?>? line = null)
{
    public IReadOnlyDictionary<string, object?> Data => data;

    /// <summary>The lines of one of the data's inverse lists, each a scope of its own.</summary>
    public IEnumerable<MergeScope> Lines(string name) =>
        (data.GetValueOrDefault(name) as IReadOnlyList<Dictionary<string, object?>> ?? []).Select(item => new MergeScope(data, name, item));

    public string? Resolve(string path)
    {
        var segments = path.Split('.');
        object? value = data;
        var start = 0;
        if (line is not null && segments.Length > 1 && segments[0] == list)
        {
            value = line;
            start = 1;
        }

        for (var i = start; i < segments.Length; i++)
        {
            value = value is IReadOnlyDictionary<string, object?> map ? map.GetValueOrDefault(segments[i]) : null;
        }

        return value as string;
    }
}
