using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Intelligence;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Journeys;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Plugins.Marketing.Plans;
using CrmEngine.Plugins.Marketing.Scoring;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

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
        InteractionEntity.Declare(builder);
        SegmentEntity.Declare(builder);
        SegmentMemberEntity.Declare(builder);
        ScoreFields.Declare(builder);
        ScoringSettings.Declare(builder);
        JourneyEntity.Declare(builder);
        JourneyVersionEntity.Declare(builder);
        JourneyMemberEntity.Declare(builder);
        JourneyStepRunEntity.Declare(builder);
        CompetitorEntity.Declare(builder);
        OpportunityCompetitorEntity.Declare(builder);
        builder.Setting("trackingBaseUrl", SettingType.String, s => s
            .Label("Public address for tracking links", "跟踪链接的公开地址")
            .Description("Where recipients reach this host: open pixels, click and unsubscribe links start with it.", "收件人访问本系统的地址：打开像素、点击与退订链接以此开头。")
            .Default("http://localhost:5080"));
    }
}
