namespace CrmEngine.Plugins.Marketing.Common;

/// <summary>The stable codes the marketing module refuses with (besides the engine's own, such as NOT_FOUND).</summary>
internal static class MarketingErrors
{
    public const string NotFound = "NOT_FOUND";
    public const string InvalidInput = "INVALID_INPUT";
    public const string InvalidId = "INVALID_ID";
    public const string BudgetExceeded = "MKT_BUDGET_EXCEEDED";
    public const string InvalidTransition = "MKT_INVALID_TRANSITION";
    public const string CampaignClosed = "MKT_CAMPAIGN_CLOSED";
    public const string AlreadyMember = "MKT_ALREADY_MEMBER";
    public const string MemberTarget = "MKT_MEMBER_TARGET";
    public const string CampaignCycle = "MKT_CAMPAIGN_CYCLE";
    public const string ComputedField = "MKT_COMPUTED_FIELD";
    public const string DynamicSegment = "MKT_DYNAMIC_SEGMENT";
    public const string JourneyInvalid = "MKT_JOURNEY_INVALID";
    public const string JourneyManaged = "MKT_JOURNEY_MANAGED";
    public const string AlreadyLinked = "MKT_ALREADY_LINKED";
    public const string InteractionManaged = "MKT_INTERACTION_MANAGED";
    public const string RateLimited = "MKT_RATE_LIMITED";
    public const string InvalidAddress = "MKT_INVALID_ADDRESS";
    public const string TooManyRecipients = "MKT_TOO_MANY_RECIPIENTS";
}
