using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Plugins.Marketing.Plans;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing;

/// <summary>
/// The marketing module (营销自动化), built on the SDK alone beside the sales module it depends on:
/// plans, campaigns, their costs and members, segments, and campaign attribution and ROI over sales'
/// opportunities. Hooks and operations are found by the host's scan.
/// </summary>
public sealed class MarketingPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        MarketingPlanEntity.Declare(builder);
        CampaignEntity.Declare(builder);
        CampaignCostEntity.Declare(builder);
        CampaignMemberEntity.Declare(builder);
        SegmentEntity.Declare(builder);
        SegmentMemberEntity.Declare(builder);
    }
}
