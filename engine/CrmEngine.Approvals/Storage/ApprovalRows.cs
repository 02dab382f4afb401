namespace CrmEngine.Approvals.Storage;

/// <summary>An approval process an admin defined, as stored; its definition is JSON (<see cref="Processes.StoredDefinition"/>).</summary>
public sealed class ApprovalProcessRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Entity { get; set; }

    public bool Active { get; set; }

    public required string Definition { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A record's submission to a process. <see cref="OpenKey"/> is "entity:record" while it is pending
/// and null after: its unique index keeps one pending request per record, whoever submits at once.
/// </summary>
public sealed class ApprovalRequestRow
{
    public Guid Id { get; set; }

    public required string Process { get; set; }

    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    /// <summary>One of <see cref="Sdk.Approvals.ApprovalRequestStatus"/>'s names.</summary>
    public required string Status { get; set; }

    /// <summary>The index of the step it waits at (pending) or ended at.</summary>
    public int Step { get; set; }

    public string? StepName { get; set; }

    public Guid SubmittedBy { get; set; }

    public DateTime SubmittedAt { get; set; }

    public string? Comment { get; set; }

    public DateTime? DecidedAt { get; set; }

    public string? OpenKey { get; set; }

    /// <summary>How many history lines the request has: the next one's <see cref="ApprovalEventRow.Sequence"/>.</summary>
    public int EventCount { get; set; }

    /// <summary>Bumped by every decision: two decisions made at once on the same request can't both count.</summary>
    public long Version { get; set; }
}

/// <summary>One approver's part in one step of a request: open (no decision) while the step waits for them.</summary>
public sealed class ApprovalTaskRow
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public int Step { get; set; }

    public Guid ApproverId { get; set; }

    /// <summary>Null while open; else one of <see cref="Requests.TaskOutcome"/>'s names.</summary>
    public string? Outcome { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A line of a request's history: submitted, a step's approvals and rejection, skipped steps, recall, the final outcome.</summary>
public sealed class ApprovalEventRow
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    /// <summary>The line's place in its request's history (1, 2, ...).</summary>
    public int Sequence { get; set; }

    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    public DateTime At { get; set; }

    /// <summary>One of <see cref="Requests.ApprovalAction"/>'s names.</summary>
    public required string Action { get; set; }

    public int? Step { get; set; }

    public string? StepName { get; set; }

    public Guid ActorId { get; set; }

    /// <summary>The approver a delegate acted for.</summary>
    public Guid? OnBehalfOf { get; set; }

    public string? Comment { get; set; }
}

/// <summary>A user's delegation of their approvals to another user for a period.</summary>
public sealed class ApprovalDelegationRow
{
    public Guid UserId { get; set; }

    public Guid DelegateId { get; set; }

    public DateTime From { get; set; }

    public DateTime Until { get; set; }

    public DateTime CreatedAt { get; set; }
}
