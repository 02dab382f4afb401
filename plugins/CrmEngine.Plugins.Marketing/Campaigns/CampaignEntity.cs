using CrmEngine.Plugins.Marketing.Plans;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Campaigns;

/// <summary>市场活动: a campaign on a channel, with a status lifecycle, dates, budget, costs and expected results.</summary>
internal static class CampaignEntity
{
    public const string Name = "campaign";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Campaign", "市场活动")
        .Description("A marketing campaign on one channel: its budget, costs, members and expected results.", "某一渠道的市场活动：预算、费用、成员与预期效果。")
        .AutoNumber("code", "CMP-{0000}", f => f.Label("Code", "活动编号"))
        .Text("name", f => f.Label("Name", "活动名称").Required().MaxLength(200).Searchable())
        .Picklist("type", f => f.Label("Type", "活动类型")
            .Option("email", "E-mail", "邮件营销").Option("sms", "SMS", "短信营销").Option("wechat", "WeChat", "微信营销")
            .Option("social", "Social media", "社交媒体").Option("ad", "Advertising", "广告投放").Option("event", "Event", "线下活动")
            .Option("webinar", "Webinar", "网络研讨会").Option("content", "Content", "内容营销").Required().Indexed())
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("planned", "Planned", "计划中").Option("active", "Active", "进行中").Option("paused", "Paused", "已暂停")
            .Option("completed", "Completed", "已完成").Option("cancelled", "Cancelled", "已取消").Default("planned").Indexed())
        .Date("startDate", f => f.Label("Start date", "开始日期"))
        .Date("endDate", f => f.Label("End date", "结束日期"))
        .Lookup("plan", MarketingPlanEntity.Name, f => f.Label("Marketing plan", "市场计划").Inverse("campaigns"))
        .Lookup("parent", Name, f => f.Label("Parent campaign", "上级活动").Inverse("childCampaigns"))
        .Money("budget", f => f.Label("Budget", "预算").Currency("CNY").Range(0, null))
        .Money("actualCost", f => f.Label("Actual cost", "实际费用").Currency("CNY"))
        .Money("expectedRevenue", f => f.Label("Expected revenue", "预期收入").Currency("CNY").Range(0, null))
        .Integer("expectedResponses", f => f.Label("Expected responses", "预期响应数").Range(0, null))
        .Text("emailSubject", f => f.Label("E-mail subject", "邮件主题").MaxLength(200))
        .LongText("emailBody", f => f.Label("E-mail body (HTML; {{name}}, {{company}}, {{title}}, {{unsubscribeUrl}})", "邮件正文（HTML；{{name}}、{{company}}、{{title}}、{{unsubscribeUrl}}）"))
        .Text("emailSubjectEn", f => f.Label("E-mail subject, English variant", "邮件主题（英文版）").MaxLength(200))
        .Text("smsText", f => f.Label("SMS text ({{name}}, {{company}}, {{title}})", "短信内容（{{name}}、{{company}}、{{title}}）").MaxLength(500))
        .LongText("emailBodyEn", f => f.Label("E-mail body, English variant (for people whose language is en)", "邮件正文（英文版，发给语言为英文的人）"))
        .LongText("description", f => f.Label("Notes", "备注")));
}

/// <summary>活动费用: one cost of a campaign; the campaign's actual cost is their sum.</summary>
internal static class CampaignCostEntity
{
    public const string Name = "campaignCost";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Campaign cost", "活动费用")
        .Description("One cost of a campaign (an invoice, a booking); the campaign's actual cost is their sum.", "市场活动的一笔费用（发票、预订等）；活动实际费用为各笔之和。")
        .Lookup("campaign", CampaignEntity.Name, f => f.Label("Campaign", "市场活动").Required().Inverse("costs"))
        .Text("description", f => f.Label("Description", "费用说明").Required().MaxLength(200))
        .Picklist("category", f => f.Label("Category", "费用类别")
            .Option("media", "Media", "媒体投放").Option("venue", "Venue", "场地").Option("agency", "Agency", "代理服务")
            .Option("production", "Production", "物料制作").Option("travel", "Travel", "差旅").Option("gifts", "Gifts", "礼品").Option("other", "Other", "其他"))
        .Money("amount", f => f.Label("Amount", "金额").Currency("CNY").Range(0, null).Required())
        .Date("incurredOn", f => f.Label("Incurred on", "发生日期")));
}
