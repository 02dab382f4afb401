namespace CrmEngine.Rules.Definitions;

/// <summary>What an admin writes for a rule: everything one version holds.</summary>
public sealed record RuleDefinition
{
    public required string Name { get; init; }

    public required string Entity { get; init; }

    public required IReadOnlyList<RuleTrigger> Triggers { get; init; }

    /// <summary>A JavaScript expression; the rule runs only when it is truthy.</summary>
    public string? Condition { get; init; }

    public required string Script { get; init; }

    /// <summary>A cron expression (5 fields, or 6 with seconds) for scheduled rules.</summary>
    public string? Schedule { get; init; }

    /// <summary>The IANA time zone the schedule is read in; UTC when null.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The filter (JSON, the shape crm.find takes) choosing the records a schedule runs over.</summary>
    public string? Filter { get; init; }

    public string? Description { get; init; }

    /// <summary>Rules on the same trigger run by ascending order, then by name.</summary>
    public int Order { get; init; }

    /// <summary>True when another definition would behave exactly like this one.</summary>
    public bool SameAs(RuleDefinition other) =>
        Name == other.Name && Entity == other.Entity && Triggers.SequenceEqual(other.Triggers) && Condition == other.Condition && Script == other.Script
        && Schedule == other.Schedule && TimeZone == other.TimeZone && Filter == other.Filter && Description == other.Description && Order == other.Order;
}

/// <summary>A rule as stored: its identity, state and current definition.</summary>
public sealed record RuleInfo(Guid Id, long Version, bool Enabled, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DeletedAt, DateTime? NextRunAt, RuleDefinition Definition, Guid? Author);

/// <summary>One stored version of a rule.</summary>
public sealed record RuleVersionInfo(Guid RuleId, long Version, RuleDefinition Definition, Guid? Author, DateTime At, string? Note);
