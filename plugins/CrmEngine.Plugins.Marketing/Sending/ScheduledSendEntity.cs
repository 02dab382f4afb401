using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Sending;

/// <summary>
/// 定时发送: a campaign's send (its e-mail or SMS to the members targeted then) booked for a time.
/// Clients create it, move its time or cancel it while it is scheduled; the <c>scheduled-send</c> job
/// runs it once when due and writes what it did (<c>sentCount</c>, <c>skippedCount</c>, <c>ranAt</c>,
/// <c>outcome</c>), or why it could not (<c>failed</c>).
/// </summary>
internal static class ScheduledSendEntity
{
    public const string Name = "scheduledSend";

    /// <summary>The fields only the job writes.</summary>
    public static readonly string[] Results = ["sentCount", "skippedCount", "ranAt", "outcome"];

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Scheduled send", "定时发送")
        .Description("A campaign's e-mail or SMS send booked for a time, and what it did when it ran.", "预约在指定时间执行的市场活动邮件或短信发送，及其执行结果。")
        .Lookup("campaign", CampaignEntity.Name, f => f.Label("Campaign", "市场活动").Required().Inverse("scheduledSends"))
        .DateTime("sendAt", f => f.Label("Send at", "发送时间").Required().Indexed())
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("scheduled", "Scheduled", "已预约").Option("sent", "Sent", "已发送")
            .Option("failed", "Failed", "发送失败").Option("cancelled", "Cancelled", "已取消")
            .Default("scheduled").Indexed())
        .Integer("sentCount", f => f.Label("Messages queued", "已发送消息数"))
        .Integer("skippedCount", f => f.Label("Members skipped", "跳过成员数"))
        .DateTime("ranAt", f => f.Label("Ran", "执行时间"))
        .Text("outcome", f => f.Label("Outcome", "执行结果").MaxLength(500)));
}
