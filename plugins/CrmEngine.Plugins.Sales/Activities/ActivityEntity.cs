using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Leads;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Activities;

/// <summary>跟进记录: a call, meeting, visit, e-mail, WeChat message or task, with notes and the next contact date.</summary>
internal static class ActivityEntity
{
    public const string Name = "activity";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Activity / follow-up", "跟进记录")
        .Plural("activities", "Activities", "跟进记录")
        .Description("A call, meeting, visit, e-mail, WeChat message or task about a lead, account, contact or opportunity.", "关于线索、客户、联系人或商机的电话、会议、拜访、邮件、微信或任务。")
        .Text("subject", f => f.Label("Subject", "主题").Required().MaxLength(200).Searchable())
        .Picklist("type", f => f.Label("Type", "跟进方式")
            .Option("call", "Call", "电话").Option("meeting", "Meeting", "会议").Option("visit", "Visit", "拜访").Option("email", "E-mail", "邮件")
            .Option("wechat", "WeChat", "微信").Option("task", "Task", "任务").Option("note", "Note", "备注").Default("call").Indexed())
        .Picklist("status", f => f.Label("Status", "状态").Option("done", "Done", "已完成").Option("planned", "Planned", "计划中").Default("done"))
        .LongText("notes", f => f.Label("Notes", "跟进内容"))
        .DateTime("occurredAt", f => f.Label("When", "跟进时间"))
        .DateTime("nextContactAt", f => f.Label("Next contact", "下次联系时间"))
        .Lookup("lead", LeadEntity.Name, f => f.Label("Lead", "线索").Inverse("activities"))
        .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Inverse("activities"))
        .Lookup("contact", ContactEntity.Name, f => f.Label("Contact", "联系人").Inverse("activities"))
        .Lookup("opportunity", "opportunity", f => f.Label("Opportunity", "商机").Inverse("activities")));
}
