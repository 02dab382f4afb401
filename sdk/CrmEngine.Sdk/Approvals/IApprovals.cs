namespace CrmEngine.Sdk.Approvals;

/// <summary>Where an approval request is.</summary>
public enum ApprovalRequestStatus
{
    /// <summary>Waiting for a step's approvers.</summary>
    Pending,

    /// <summary>Every applicable step approved.</summary>
    Approved,

    /// <summary>Rejected at a step.</summary>
    Rejected,

    /// <summary>Taken back by its submitter.</summary>
    Recalled,
}

/// <summary>An approval request as the SDK gives it.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Process">The process's name.</param>
/// <param name="Entity">The record's entity.</param>
/// <param name="RecordId">The record.</param>
/// <param name="Status">Where it is.</param>
/// <param name="StepName">The step it waits at (pending), or decided at.</param>
/// <param name="SubmittedBy">Who submitted it.</param>
public sealed record ApprovalRequestInfo(Guid Id, string Process, string Entity, Guid RecordId, ApprovalRequestStatus Status, string? StepName, Guid SubmittedBy);

/// <summary>
/// The engine's approval service, acting as the caller: the same rules as the GraphQL fields
/// (<c>submitForApproval</c>, <c>approve</c>, <c>reject</c>, <c>recall</c>). Refusals throw
/// <c>OperationException</c> with the service's codes (APPROVAL_NO_PROCESS, APPROVAL_PENDING,
/// APPROVAL_NOT_APPROVER, APPROVAL_NOT_PENDING, APPROVAL_COMMENT_REQUIRED, NOT_FOUND, ...). Inside a
/// plugin mutation, everything it does commits or rolls back with the mutation.
/// </summary>
public interface IApprovals
{
    /// <summary>Submits a record to the first active process whose criteria it matches.</summary>
    Task<ApprovalRequestInfo> SubmitAsync(string entity, Guid recordId, string? comment = null, CancellationToken cancellationToken = default);

    /// <summary>The record's pending request, or null.</summary>
    Task<ApprovalRequestInfo?> FindPendingAsync(string entity, Guid recordId, CancellationToken cancellationToken = default);

    /// <summary>Approves the request's current step as the caller (or as the delegate of an approver).</summary>
    Task<ApprovalRequestInfo> ApproveAsync(Guid requestId, string? comment = null, CancellationToken cancellationToken = default);

    /// <summary>Rejects the request as the caller, saying why.</summary>
    Task<ApprovalRequestInfo> RejectAsync(Guid requestId, string comment, CancellationToken cancellationToken = default);

    /// <summary>Takes a pending request back (its submitter only).</summary>
    Task<ApprovalRequestInfo> RecallAsync(Guid requestId, CancellationToken cancellationToken = default);
}
