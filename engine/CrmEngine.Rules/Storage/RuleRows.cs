namespace CrmEngine.Rules.Storage;

/// <summary>A rule: its name, which version is current, whether it runs, and its schedule state.</summary>
public sealed class RuleRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public long CurrentVersion { get; set; }

    public bool Enabled { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? DeletedAt { get; set; }

    /// <summary>When a scheduled rule is next due (UTC); null for other rules and disabled ones.</summary>
    public DateTime? NextRunAt { get; set; }

    /// <summary>Bumped by whoever claims a due tick, so two schedulers never run the same tick.</summary>
    public long ScheduleTick { get; set; }

    /// <summary>The tick being run, until its last record is done; set while a host works through it, or left by one that died (since version 2).</summary>
    public long? RunningTick { get; set; }

    /// <summary>The last record (by id) the running tick is done with, committed with that record's run; a resumed tick goes on after it (since version 2).</summary>
    public Guid? TickResumeAfter { get; set; }
}

/// <summary>One saved version of a rule; versions are never changed or removed, so any can be restored.</summary>
public sealed class RuleVersionRow
{
    public Guid RuleId { get; set; }

    public long Version { get; set; }

    public required string Name { get; set; }

    public required string Entity { get; set; }

    /// <summary>Comma-separated trigger names (beforeCreate, afterUpdate, schedule, manual, ...).</summary>
    public required string Triggers { get; set; }

    public string? Condition { get; set; }

    public required string Script { get; set; }

    public string? Schedule { get; set; }

    public string? TimeZone { get; set; }

    /// <summary>JSON of the record filter a schedule runs over.</summary>
    public string? Filter { get; set; }

    public string? Description { get; set; }

    public int RunOrder { get; set; }

    public Guid? Author { get; set; }

    public DateTime At { get; set; }

    /// <summary>Why this version exists when it was not a plain save ("restored from version 2").</summary>
    public string? Note { get; set; }
}

/// <summary>One execution of a rule: what ran, on what, why, and how it ended.</summary>
public sealed class RuleRunRow
{
    public Guid Id { get; set; }

    public Guid? RuleId { get; set; }

    public required string RuleName { get; set; }

    public long Version { get; set; }

    public required string Entity { get; set; }

    public Guid? RecordId { get; set; }

    public required string Trigger { get; set; }

    public required string Outcome { get; set; }

    public string? ErrorCode { get; set; }

    public string? Error { get; set; }

    public double DurationMs { get; set; }

    public long Statements { get; set; }

    public DateTime At { get; set; }

    /// <summary>The script's crm.log lines, newline-separated.</summary>
    public string? Log { get; set; }
}

/// <summary>
/// Marks that an after-rule has handled one committed change (an outbox row). Written in the same
/// transaction as the rule's own writes, so a retried change never runs a rule that already succeeded.
/// </summary>
public sealed class RuleEventDoneRow
{
    public Guid RuleId { get; set; }

    public long OutboxSeq { get; set; }

    public DateTime At { get; set; }
}

/// <summary>A message a rule sent to a user with crm.notify.</summary>
public sealed class NotificationRow
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public required string Message { get; set; }

    public string? RuleName { get; set; }

    public string? Entity { get; set; }

    public Guid? RecordId { get; set; }

    public DateTime At { get; set; }

    public DateTime? ReadAt { get; set; }
}
