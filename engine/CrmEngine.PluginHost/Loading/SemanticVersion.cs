using System.Globalization;

namespace CrmEngine.PluginHost.Loading;

/// <summary>A semantic version (major.minor.patch, optional pre-release); build metadata is ignored.</summary>
public sealed record SemanticVersion(int Major, int Minor, int Patch, string? PreRelease = null) : IComparable<SemanticVersion>
{
    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = new SemanticVersion(0, 0, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var core = text.Trim().Split('+')[0];
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        var pre = dash < 0 ? null : core[(dash + 1)..];
        var parts = (dash < 0 ? core : core[..dash]).Split('.');
        if (parts.Length is < 1 or > 3 || (pre is not null && pre.Length == 0))
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], pre);
        return true;
    }

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a semantic version.");

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }

        // A pre-release sorts before its release (1.0.0-beta < 1.0.0).
        return (PreRelease, other.PreRelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(PreRelease, other.PreRelease),
        };
    }

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}" + (PreRelease is null ? string.Empty : "-" + PreRelease);
}

/// <summary>
/// A version range as npm writes them: <c>1.2.3</c> (exact), <c>^1.2</c>, <c>~1.2.3</c>,
/// <c>&gt;=1.0.0 &lt;2.0.0</c> (all must hold), <c>*</c>. Ranges separated by <c>||</c> are alternatives.
/// </summary>
public sealed class VersionRange
{
    private readonly List<List<Func<SemanticVersion, bool>>> _alternatives;

    private VersionRange(string text, List<List<Func<SemanticVersion, bool>>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }

    public bool Includes(SemanticVersion version) => _alternatives.Any(all => all.All(test => test(version)));

    public override string ToString() => Text;

    public static bool TryParse(string? text, out VersionRange range)
    {
        range = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var alternatives = new List<List<Func<SemanticVersion, bool>>>();
        foreach (var alternative in text.Split("||"))
        {
            var tests = new List<Func<SemanticVersion, bool>>();
            foreach (var token in alternative.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryParseComparator(token, tests))
                {
                    return false;
                }
            }

            if (tests.Count == 0)
            {
                return false;
            }

            alternatives.Add(tests);
        }

        range = new VersionRange(text.Trim(), alternatives);
        return true;
    }

    private static bool TryParseComparator(string token, List<Func<SemanticVersion, bool>> tests)
    {
        if (token is "*" or "x")
        {
            tests.Add(_ => true);
            return true;
        }

        foreach (var op in new[] { ">=", "<=", ">", "<", "=", "^", "~" })
        {
            if (!token.StartsWith(op, StringComparison.Ordinal))
            {
                continue;
            }

            if (!SemanticVersion.TryParse(token[op.Length..], out var v))
            {
                return false;
            }

            var parts = token[op.Length..].Split('-')[0].Split('.').Length;
            tests.Add(op switch
            {
                ">=" => x => x >= v,
                "<=" => x => x <= v,
                ">" => x => x > v,
                "<" => x => x < v,
                "=" => x => x.CompareTo(v) == 0,
                // ^1.2.3 := >=1.2.3 <2.0.0; ^0.2.3 := >=0.2.3 <0.3.0; ^0.0.3 := >=0.0.3 <0.0.4
                "^" => x => x >= v && x < CaretUpper(v),
                // ~1.2.3 := >=1.2.3 <1.3.0; ~1 := >=1.0.0 <2.0.0
                _ => x => x >= v && x < (parts == 1 ? new SemanticVersion(v.Major + 1, 0, 0) : new SemanticVersion(v.Major, v.Minor + 1, 0)),
            });
            return true;
        }

        if (!SemanticVersion.TryParse(token, out var exact))
        {
            return false;
        }

        tests.Add(x => x.CompareTo(exact) == 0);
        return true;
    }

    private static SemanticVersion CaretUpper(SemanticVersion v) =>
        v.Major > 0 ? new SemanticVersion(v.Major + 1, 0, 0)
        : v.Minor > 0 ? new SemanticVersion(0, v.Minor + 1, 0)
        : new SemanticVersion(0, 0, v.Patch + 1);
}
