using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>活动成员: one person (a lead, a contact or an account) in a campaign, with how far they engaged.</summary>
internal static class CampaignMemberEntity
{
    public const string Name = "campaignMember";

    /// <summary>The fields naming who the member is; exactly one is set.</summary>
    public static readonly string[] Targets = ["lead", "contact", "account"];

    /// <summary>The person lookups of a membership (campaign or segment): one of them is set; the sales records list the memberships as <paramref name="inverse"/>.</summary>
    public static EntityBuilder People(EntityBuilder e, string inverse) => e
        .Lookup("lead", "lead", f => f.Label("Lead", "线索").Inverse(inverse))
        .Lookup("contact", "contact", f => f.Label("Contact", "联系人").Inverse(inverse))
        .Lookup("account", "account", f => f.Label("Account", "客户").Inverse(inverse));

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => People(e
        .Label("Campaign member", "活动成员")
        .Description("A lead, contact or account targeted by a campaign, and how far they engaged.", "市场活动的目标线索、联系人或客户，及其参与程度。")
        .Lookup("campaign", CampaignEntity.Name, f => f.Label("Campaign", "市场活动").Required().Inverse("members")), "campaignMemberships")
        .Picklist("memberStatus", f => f.Label("Member status", "成员状态")
            .Option("targeted", "Targeted", "目标").Option("sent", "Sent", "已发送").Option("delivered", "Delivered", "已送达")
            .Option("opened", "Opened", "已打开").Option("clicked", "Clicked", "已点击").Option("responded", "Responded", "已响应")
            .Option("converted", "Converted", "已转化").Option("unsubscribed", "Unsubscribed", "已退订").Option("bounced", "Bounced", "已退信")
            .Default("targeted").Indexed())
        .DateTime("statusChangedAt", f => f.Label("Status changed", "状态变更时间"))
        .DateTime("openedAt", f => f.Label("Opened", "打开时间"))
        .DateTime("clickedAt", f => f.Label("Clicked", "点击时间"))
        .DateTime("respondedAt", f => f.Label("Responded", "响应时间").Indexed())
        .Text("messageId", f => f.Label("Last message", "最近消息").MaxLength(36))
        .Picklist("deliveryStatus", f => f.Label("Delivery", "投递状态")
            .Option("queued", "Queued", "排队中").Option("sent", "Accepted by the mail server", "已被邮件服务器接收")
            .Option("failed", "Failed", "投递失败").Option("bounced", "Bounced", "已退信").Indexed())
        .Text("deliveryError", f => f.Label("Delivery error", "投递错误").MaxLength(500))
        .Text("utmSource", f => f.Label("UTM source", "UTM 来源").MaxLength(100))
        .Text("utmMedium", f => f.Label("UTM medium", "UTM 媒介").MaxLength(100))
        .Text("utmCampaign", f => f.Label("UTM campaign", "UTM 活动").MaxLength(100)));
}
