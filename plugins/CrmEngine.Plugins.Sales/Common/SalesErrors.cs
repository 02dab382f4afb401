namespace CrmEngine.Plugins.Sales.Common;

/// <summary>The stable codes the sales operations refuse with (besides the engine's own, such as NOT_FOUND).</summary>
internal static class SalesErrors
{
    public const string NotFound = "NOT_FOUND";
    public const string InvalidInput = "INVALID_INPUT";
    public const string Forbidden = "FORBIDDEN";
    public const string InvalidState = "INVALID_STATE";
    public const string AlreadyConverted = "ALREADY_CONVERTED";
    public const string NotInPool = "NOT_IN_POOL";
    public const string AlreadyClaimed = "ALREADY_CLAIMED";
    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    public const string CoolDown = "COOL_DOWN";
    public const string NotARep = "NOT_A_REP";
    public const string StageNotInPipeline = "STAGE_NOT_IN_PIPELINE";
    public const string OpportunityClosed = "OPPORTUNITY_CLOSED";
    public const string ReasonRequired = "REASON_REQUIRED";
    public const string QuoteNotCurrent = "QUOTE_NOT_CURRENT";
    public const string QuoteExpired = "QUOTE_EXPIRED";
    public const string QuoteEmpty = "QUOTE_EMPTY";
    public const string NotApprover = "NOT_APPROVER";
    public const string AmountMismatch = "AMOUNT_MISMATCH";
    public const string ExceedsOutstanding = "EXCEEDS_OUTSTANDING";
    public const string ComputedField = "COMPUTED_FIELD";
}
