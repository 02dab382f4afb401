namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>What a duplicate rule does when a write matches it.</summary>
public enum DuplicateAction
{
    /// <summary>The write goes through; the matches are reported with it.</summary>
    Warn,

    /// <summary>The write is refused with DUPLICATE_RECORD.</summary>
    Block,
}

/// <summary>
/// A duplicate rule a write matched: the rule, what it did, and the matching records the writer may
/// read. <paramref name="HiddenMatches"/>: records outside the writer's read scope matched too; they
/// are never named.
/// </summary>
public sealed record DuplicateMatch(Guid RuleId, string Rule, string Entity, DuplicateAction Action, IReadOnlyList<Guid> RecordIds, bool HiddenMatches);

/// <summary>
/// A writer's acknowledgement of duplicate warnings (GraphQL's <c>allowDuplicates: true</c>): the
/// direct write made in this flow skips the rules that warn; rules that block still refuse it, and
/// writes caused by it (rules, hooks) are checked as usual.
/// </summary>
public static class DuplicateAcknowledgement
{
    private static readonly AsyncLocal<bool> Given = new();

    public static bool IsGiven => Given.Value;

    /// <summary>Acknowledges warnings until the calling async method returns (an AsyncLocal set there does not flow back to its caller).</summary>
    public static void Give() => Given.Value = true;
}
