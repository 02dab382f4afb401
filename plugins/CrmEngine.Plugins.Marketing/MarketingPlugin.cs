using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Intelligence;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Journeys;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Plugins.Marketing.Plans;
using CrmEngine.Plugins.Marketing.Scoring;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Plugins.Marketing.Sending;
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
        ScheduledSendEntity.Declare(builder);
        builder.Setting("trackingBaseUrl", SettingType.String, s => s
            .Label("Public address for tracking links", "跟踪链接的公开地址")
            .Description("Where recipients reach this host: open pixels, click and unsubscribe links start with it.", "收件人访问本系统的地址：打开像素、点击与退订链接以此开头。")
            .Default("http://localhost:5080"));
        builder.Setting("unsubscribeAddress", SettingType.String, s => s
            .Label("Mailbox for unsubscribe requests", "退订邮箱")
            .Description("An address of this tenant's inbound mail: each marketing mail's List-Unsubscribe header also offers a mailto to it, and a mail there from the recipient unsubscribes them.", "本租户接收邮件的地址：每封营销邮件的 List-Unsubscribe 头也提供发往该地址的 mailto，收件人发来的邮件即退订。")
            .Default(string.Empty));
        builder.Setting("softBounceLimit", SettingType.Integer, s => s
            .Label("Soft bounces before a member counts as bounced", "成员视为退信前的软退信次数")
            .Description("Delivery reports of a temporary failure (4.x.x) are recorded; the member becomes bounced at this many. A permanent failure (5.x.x) bounces at once.", "临时失败（4.x.x）的退信报告会被记录，达到此次数时成员变为已退信；永久失败（5.x.x）立即退信。")
            .Default(3L));
    }
}
