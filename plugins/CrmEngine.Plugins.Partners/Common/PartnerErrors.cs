namespace CrmEngine.Plugins.Partners.Common;

/// <summary>The stable codes the partners module refuses with: the engine's own, and those declared in plugin.json.</summary>
internal static class PartnerErrors
{
    public const string NotFound = "NOT_FOUND";
    public const string InvalidInput = "INVALID_INPUT";
    public const string Forbidden = "FORBIDDEN";
    public const string InvalidState = "INVALID_STATE";
    public const string PartnerInactive = "PARTNER_INACTIVE";
    public const string ExclusivityConflict = "PARTNER_EXCLUSIVITY_CONFLICT";
    public const string DuplicateRate = "PARTNER_DUPLICATE_RATE";
    public const string DealProtected = "PARTNER_DEAL_PROTECTED";
    public const string ExtensionLimit = "PARTNER_EXTENSION_LIMIT";
    public const string RegistrationExpired = "PARTNER_REGISTRATION_EXPIRED";
    public const string OverBudget = "PARTNER_MDF_OVER_BUDGET";
    public const string ComputedField = "COMPUTED_FIELD";
    public const string NoAgreement = "PARTNER_NO_AGREEMENT";
    public const string ProofRequired = "PARTNER_MDF_PROOF_REQUIRED";
    public const string OverClaimed = "PARTNER_MDF_OVER_CLAIMED";
    public const string NothingToPay = "PARTNER_NOTHING_TO_PAY";
    public const string NoCandidate = "PARTNER_NO_CANDIDATE";
    public const string OfferExpired = "PARTNER_OFFER_EXPIRED";
}
