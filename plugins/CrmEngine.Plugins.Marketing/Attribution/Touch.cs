namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>A campaign response of someone linked to an opportunity: the unit attribution divides credit between.</summary>
internal sealed record Touch(Guid MemberId, Guid CampaignId, DateTime At);

/// <summary>An opportunity with the touches that count for it, oldest first.</summary>
internal sealed record Influenced(CrmRecord Opportunity, IReadOnlyList<Touch> Touches);
