using CrmEngine.Plugins.Partners.Incentives;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary>The tier history is written by reviews only; clients read it.</summary>
internal sealed class TierChangeRules() : ComputedIncentiveRules(PerformanceEntities.TierChange, "partner", "period", "kind", "fromTier", "toTier", "score", "reason", "reviewedOn", "key");
