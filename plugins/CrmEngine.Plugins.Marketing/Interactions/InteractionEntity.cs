using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Interactions;

/// <summary>
/// 营销互动: one thing a person did with marketing (opened, clicked, unsubscribed, bounced, submitted a
/// form, visited a page, a custom event), on the person's timeline (<c>marketingInteractions</c> of the
/// lead or contact) and on their account's, which <c>account360 { account { … } }</c> reaches.
/// </summary>
internal static class InteractionEntity
{
    public const string Name = "marketingInteraction";

    /// <summary>The inverse list on leads, contacts, accounts, campaigns and campaign members.</summary>
    public const string Inverse = "marketingInteractions";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Marketing interaction", "营销互动")
        .Description("Something a person did with marketing: an open, a click, an unsubscribe, a bounce, a form, a page visit or an event.", "个人与营销的一次互动：打开、点击、退订、退信、提交表单、访问页面或自定义事件。")
        .Picklist("kind", f => f.Label("Kind", "类型")
            .Option("opened", "Opened an e-mail", "打开邮件").Option("clicked", "Clicked a link", "点击链接")
            .Option("unsubscribed", "Unsubscribed", "退订").Option("bounced", "Bounced", "退信")
            .Option("softBounced", "Soft bounce (temporary)", "软退信（暂时失败）")
            .Option("formSubmitted", "Submitted a form", "提交表单").Option("pageVisit", "Visited a page", "访问页面")
            .Option("customEvent", "Custom event", "自定义事件").Required().Indexed())
        .DateTime("occurredAt", f => f.Label("Occurred", "发生时间").Required().Indexed())
        .Lookup("lead", "lead", f => f.Label("Lead", "线索").Inverse(Inverse))
        .Lookup("contact", "contact", f => f.Label("Contact", "联系人").Inverse(Inverse))
        .Lookup("account", "account", f => f.Label("Account", "客户").Inverse(Inverse))
        .Lookup("campaign", CampaignEntity.Name, f => f.Label("Campaign", "市场活动").Inverse(Inverse))
        .Lookup("campaignMember", CampaignMemberEntity.Name, f => f.Label("Campaign member", "活动成员").Inverse(Inverse))
        .Text("eventName", f => f.Label("Event", "事件名称").MaxLength(100))
        .Text("url", f => f.Label("Page", "页面地址").MaxLength(2000))
        .Text("detail", f => f.Label("Detail", "详情").MaxLength(500)));
}

/// <summary>Interactions are the module's record of what happened: clients read them, never write them.</summary>
internal sealed class InteractionGuard : IBeforeRecordHook
{
    public string Entity => InteractionEntity.Name;

    public RecordOperations Operations => RecordOperations.All;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) => record.IsDirect
        ? throw new OperationException(MarketingErrors.InteractionManaged, "Marketing interactions are recorded by the module (tracking links, forms, the events endpoint, bounces); clients only read them.")
        : Task.CompletedTask;
}
