using NuGet.Versioning;
using NuGetRange = NuGet.Versioning.VersionRange;

namespace CrmEngine.PluginHost.Loading;

/// <summary>
/// Plugin versions: semantic versions as NuGet.Versioning reads and orders them (pre-releases before
/// their release, numeric identifiers by number, build metadata ignored), written with one to three
/// numbers (<c>1.2</c> is 1.2.0) as manifests always have been.
/// </summary>
public static class PluginVersion
{
    public static bool TryParse(string? text, out NuGetVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text) || !NuGetVersion.TryParse(text.Trim(), out var parsed))
        {
            return false;
        }

        // NuGet also reads four-part (legacy) versions; a manifest's version is semantic.
        var numbers = text.Trim().Split('+')[0].Split('-')[0].Split('.').Length;
        if (numbers > 3)
        {
            return false;
        }

        version = parsed;
        return true;
    }

    public static NuGetVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a semantic version.");
}

/// <summary>
/// A version range as npm writes them: <c>1.2.3</c> (exact), <c>^1.2</c>, <c>~1.2.3</c>,
/// <c>&gt;=1.0.0 &lt;2.0.0</c> (all must hold), <c>*</c>. Ranges separated by <c>||</c> are alternatives.
/// Each comparator becomes a NuGet.Versioning interval; a version is included when it lies in every
/// interval of some alternative.
/// </summary>
public sealed class VersionRange
{
    private readonly List<List<NuGetRange>> _alternatives;

    private VersionRange(string text, List<List<NuGetRange>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }

    public bool Includes(NuGetVersion version) => _alternatives.Any(all => all.All(interval => interval.Satisfies(version)));

    /// <summary>
    /// True when some version from <paramref name="oldest"/> to <paramref name="newest"/> (both
    /// included) lies in this range: the intervals of some alternative, narrowed to those bounds,
    /// still leave room for a version.
    /// </summary>
    public bool IncludesAnyBetween(NuGetVersion oldest, NuGetVersion newest) =>
        _alternatives.Any(all => Overlap(all.Append(new NuGetRange(oldest, true, newest, true))));

    /// <summary>Whether the intervals have a version in common: the highest lower bound lies below the lowest upper bound (or on it, when both include it).</summary>
    private static bool Overlap(IEnumerable<NuGetRange> intervals)
    {
        (NuGetVersion Version, bool Inclusive)? lower = null, upper = null;
        foreach (var interval in intervals)
        {
            if (interval.HasLowerBound && (lower is not { } l || interval.MinVersion! > l.Version || (interval.MinVersion == l.Version && !interval.IsMinInclusive)))
            {
                lower = (interval.MinVersion!, interval.IsMinInclusive);
            }

            if (interval.HasUpperBound && (upper is not { } u || interval.MaxVersion! < u.Version || (interval.MaxVersion == u.Version && !interval.IsMaxInclusive)))
            {
                upper = (interval.MaxVersion!, interval.IsMaxInclusive);
            }
        }

        return lower is not { } low || upper is not { } high || low.Version < high.Version || (low.Version == high.Version && low.Inclusive && high.Inclusive);
    }

    public override string ToString() => Text;

    public static bool TryParse(string? text, out VersionRange range)
    {
        range = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var alternatives = new List<List<NuGetRange>>();
        foreach (var alternative in text.Split("||"))
        {
            var intervals = new List<NuGetRange>();
            foreach (var token in alternative.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Comparator(token) is not { } interval)
                {
                    return false;
                }

                intervals.Add(interval);
            }

            if (intervals.Count == 0)
            {
                return false;
            }

            alternatives.Add(intervals);
        }

        range = new VersionRange(text.Trim(), alternatives);
        return true;
    }

    /// <summary>One npm comparator as an interval, or null when it is not one.</summary>
    private static NuGetRange? Comparator(string token)
    {
        if (token is "*" or "x")
        {
            return NuGetRange.All;
        }

        foreach (var op in new[] { ">=", "<=", ">", "<", "=", "^", "~" })
        {
            if (!token.StartsWith(op, StringComparison.Ordinal))
            {
                continue;
            }

            var operand = token[op.Length..];
            if (!PluginVersion.TryParse(operand, out var v))
            {
                return null;
            }

            var parts = operand.Split('-')[0].Split('.').Length;
            return op switch
            {
                ">=" => new NuGetRange(v, includeMinVersion: true),
                "<=" => new NuGetRange(null, false, v, includeMaxVersion: true),
                ">" => new NuGetRange(v, includeMinVersion: false),
                "<" => new NuGetRange(null, false, v, includeMaxVersion: false),
                "=" => Exactly(v),
                // ^1.2.3 := >=1.2.3 <2.0.0; ^0.2.3 := >=0.2.3 <0.3.0; ^0.0.3 := >=0.0.3 <0.0.4
                "^" => new NuGetRange(v, true, CaretUpper(v), false),
                // ~1.2.3 := >=1.2.3 <1.3.0; ~1 := >=1.0.0 <2.0.0
                _ => new NuGetRange(v, true, parts == 1 ? new NuGetVersion(v.Major + 1, 0, 0) : new NuGetVersion(v.Major, v.Minor + 1, 0), false),
            };
        }

        return PluginVersion.TryParse(token, out var exact) ? Exactly(exact) : null;
    }

    private static NuGetRange Exactly(NuGetVersion version) => new(version, true, version, true);

    private static NuGetVersion CaretUpper(NuGetVersion v) =>
        v.Major > 0 ? new NuGetVersion(v.Major + 1, 0, 0)
        : v.Minor > 0 ? new NuGetVersion(0, v.Minor + 1, 0)
        : new NuGetVersion(0, 0, v.Patch + 1);
}
