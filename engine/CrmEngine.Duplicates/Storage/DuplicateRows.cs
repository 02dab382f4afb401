namespace CrmEngine.Duplicates.Storage;

/// <summary>A tenant's duplicate rule, as stored. Its conditions are JSON (<see cref="Rules.RuleCondition"/>s).</summary>
public sealed class DuplicateRuleRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Entity { get; set; }

    public bool Active { get; set; }

    /// <summary>One of <see cref="Rules.RuleAction"/>'s names.</summary>
    public required string OnCreate { get; set; }

    public required string OnUpdate { get; set; }

    public required string Conditions { get; set; }

    /// <summary>Whether every record written before the rule (or its last change of conditions) has its match key: set by the key-building job.</summary>
    public bool KeysReady { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One record's match key under one rule: its conditions' values reduced by their matchers and
/// joined. Kept in the record's own transaction on every write, so a check is one indexed lookup of
/// (rule, key). A record with no key (an empty value, a free-mail domain) has no row.
/// </summary>
public sealed class DuplicateKeyRow
{
    public Guid RuleId { get; set; }

    public Guid RecordId { get; set; }

    public required string Key { get; set; }
}

/// <summary>Where a duplicate job is.</summary>
public enum DuplicateJobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// A background job over one rule's entity: it computes every live record's match key again and,
/// for a scan, collects the keys several records share into duplicate sets.
/// </summary>
public sealed class DuplicateJobRow
{
    public Guid Id { get; set; }

    public Guid RuleId { get; set; }

    public required string Entity { get; set; }

    /// <summary>False for the key-building job a rule's creation starts: keys only, no sets.</summary>
    public bool FindsSets { get; set; }

    public required string Status { get; set; }

    public required string ClaimedBy { get; set; }

    public long RecordsTotal { get; set; }

    public long RecordsRead { get; set; }

    public int SetsFound { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? HeartbeatAt { get; set; }

    public DateTime? FinishedAt { get; set; }
}

/// <summary>Whether a duplicate set still waits for someone, or was dismissed as not duplicates.</summary>
public enum DuplicateSetStatus
{
    Open,
    Dismissed,
}

/// <summary>Records a scan found sharing one match key under one rule.</summary>
public sealed class DuplicateSetRow
{
    public Guid Id { get; set; }

    public Guid RuleId { get; set; }

    public Guid JobId { get; set; }

    public required string Entity { get; set; }

    public required string Key { get; set; }

    /// <summary>The records' ids, comma-separated, in ascending order.</summary>
    public required string RecordIds { get; set; }

    public int Size { get; set; }

    public required string Status { get; set; }

    public Guid? DismissedBy { get; set; }

    public DateTime? DismissedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
