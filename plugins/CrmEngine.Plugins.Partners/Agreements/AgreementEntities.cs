using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners.Agreements;

/// <summary>合作协议: the terms of a partnership, its rates by product category and its exclusivity, approved through the engine's approvals.</summary>
internal static class AgreementEntities
{
    public const string Agreement = "partnerAgreement";
    public const string Rate = "partnerAgreementRate";
    public const string Process = "partnerAgreementApproval";

    /// <summary>What is approved: locked while pending (the approval service's lock) and fixed once approved (<see cref="AgreementRules"/>).</summary>
    public static readonly string[] Terms = ["partner", "name", "terms", "startDate", "endDate", "exclusive", "exclusiveRegions"];

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Agreement, e => e
            .Label("Partner agreement", "合作协议")
            .Description("The terms of a partnership: validity, rates by product category, territory exclusivity; approved before it applies.", "合作条款：有效期、按产品类别的折扣与佣金比例、区域独家；审批后生效。")
            .AutoNumber("number", "PA-{yyyy}-{000}", f => f.Label("Number", "协议编号"))
            .Text("name", f => f.Label("Name", "协议名称").Required().MaxLength(200).Searchable())
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("agreements"))
            .LongText("terms", f => f.Label("Terms", "协议条款"))
            .Date("startDate", f => f.Label("Valid from", "生效日期").Required())
            .Date("endDate", f => f.Label("Valid until", "到期日期").Required().Indexed())
            .Integer("renewalReminderDays", f => f.Label("Renewal reminder (days before expiry)", "续约提醒（到期前天数）").Range(0, 365).Default("30"))
            .DateTime("renewalRemindedAt", f => f.Label("Owner reminded to renew", "续约提醒时间"))
            .Boolean("exclusive", f => f.Label("Territory exclusive", "区域独家").Default("false"))
            .MultiPicklist("exclusiveRegions", f => f.Label("Exclusive regions", "独家区域").SalesRegions())
            .Attachment("documents", f => f.Label("Documents", "协议文件"))
            .Picklist("status", f => f.Label("Approval status", "审批状态")
                .Option("draft", "Draft", "草稿").Option("pendingApproval", "Pending approval", "审批中")
                .Option("approved", "Approved", "已批准").Option("rejected", "Rejected", "已驳回").Default("draft").Indexed()));
        builder.Entity(Rate, e => e
            .Label("Agreement rate", "协议费率")
            .Description("The discount and commission a partner gets on one product category under an agreement.", "协议下某产品类别的折扣率与佣金比例。")
            .Lookup("agreement", Agreement, f => f.Label("Agreement", "合作协议").Required().Inverse("rates"))
            .Picklist("category", f => f.Label("Product category", "产品类别").Required().ProductCategories())
            .Decimal("discountRate", f => f.Label("Discount (%)", "折扣率（%）").Range(0, 100).Scale(2).Default("0"))
            .Decimal("commissionRate", f => f.Label("Commission (%)", "佣金比例（%）").Range(0, 100).Scale(2).Default("0")));
        builder.ApprovalProcess(Process, Agreement, p => p
            .ChannelStep()
            .Locks(Terms)
            .Status("status", "pendingApproval", "approved", "rejected", recalled: "draft"));
    }
}
