using CrmEngine.Plugins.Partners.Agreements;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Funds;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>
/// 渠道激励: what a partner earns (commissions on collected payments, rebates over agreement tiers),
/// the MDF claims it files against approved requests, and the payouts that settle them.
/// </summary>
internal static class IncentiveEntities
{
    public const string Commission = "partnerCommission";
    public const string RebateTier = "partnerRebateTier";
    public const string Rebate = "partnerRebate";
    public const string Claim = "mdfClaim";
    public const string ClaimProcess = "mdfClaimApproval";
    public const string Payout = "partnerPayout";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Commission, e => Payable(e
            .Label("Partner commission", "伙伴佣金")
            .Description("What a partner earns on one payment collected on a deal it sourced, at its agreement's commission rates by product category.", "伙伴就其来源商机的一笔回款，按协议中各产品类别的佣金比例获得的佣金。")
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("commissions"))
            .Lookup("payment", "payment", f => f.Label("Payment", "回款").Required().Unique().Inverse("partnerCommissions")
                .Description("One commission per payment: the unique index keeps a payment from being counted twice, by two runs or two hosts.", "每笔回款只计一次佣金：唯一索引保证两次运行或两台主机不会重复计提。"))
            .Lookup("order", "order", f => f.Label("Order", "订单").Inverse("partnerCommissions"))
            .Lookup("opportunity", "opportunity", f => f.Label("Opportunity", "商机").Inverse("partnerCommissions"))
            .Lookup("agreement", AgreementEntities.Agreement, f => f.Label("Agreement", "合作协议").Inverse("commissions"))
            .Date("receivedOn", f => f.Label("Payment received on", "回款日期").Indexed())
            .Money("baseAmount", f => f.Label("Payment amount", "计提基数").Currency("CNY"))
            .Decimal("rate", f => f.Label("Effective rate (%)", "实际佣金比例（%）").Scale(4))
            .Money("amount", f => f.Label("Commission", "佣金金额").Currency("CNY"))));
        builder.Entity(RebateTier, e => e
            .Label("Rebate tier", "返利档位")
            .Description("Under an agreement, the rebate rate on a period's sourced revenue above a threshold (up to the next tier's threshold).", "协议下，期间来源回款超过门槛部分（至下一档门槛）的返利比例。")
            .Lookup("agreement", AgreementEntities.Agreement, f => f.Label("Agreement", "合作协议").Required().Inverse("rebateTiers"))
            .Money("threshold", f => f.Label("Revenue above", "回款门槛").Required().Currency("CNY").Range(0, null))
            .Decimal("rate", f => f.Label("Rebate (%)", "返利比例（%）").Required().Range(0, 100).Scale(2)));
        builder.Entity(Rebate, e => Payable(e
            .Label("Partner rebate", "伙伴返利")
            .Description("A partner's rebate for a period: its agreement's tiers applied to the revenue collected on deals it sourced in the period.", "伙伴某期间的返利：按协议返利档位计算期间来源商机的回款。")
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("rebates"))
            .Lookup("agreement", AgreementEntities.Agreement, f => f.Label("Agreement", "合作协议").Inverse("rebates"))
            .Text("period", f => f.Label("Period", "期间").Required().MaxLength(20))
            .Text("key", f => f.Label("Partner and period", "伙伴与期间").Required().MaxLength(80).Unique()
                .Description("One rebate per partner and period.", "每个伙伴每期一笔返利。"))
            .Money("revenue", f => f.Label("Sourced revenue collected", "来源回款").Currency("CNY"))
            .Money("amount", f => f.Label("Rebate", "返利金额").Currency("CNY"))
            .LongText("breakdown", f => f.Label("How it was worked out", "计算明细"))));
        builder.Entity(Claim, e => e
            .Label("MDF claim", "市场基金报销")
            .Description("A partner's claim for the cost of an approved MDF activity, with proof of performance; approved against what the request left unclaimed, then paid.", "伙伴就已批准的市场活动提交的费用报销及执行证明；在申请未报销额度内审批，之后支付。")
            .AutoNumber("number", "MDC-{yyyy}-{0000}", f => f.Label("Number", "报销编号"))
            .Lookup("request", FundEntities.Request, f => f.Label("MDF request", "市场基金申请").Required().Inverse("claims"))
            .Lookup("budget", FundEntities.Budget, f => f.Label("Budget", "预算").Inverse("claims").Description("The request's budget, kept by the module.", "申请所属预算，由模块维护。"))
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Inverse("mdfClaims").Description("The request's partner, kept by the module: a portal's organization lookup.", "申请所属伙伴，由模块维护，供门户按伙伴划分数据。"))
            .Money("amount", f => f.Label("Amount claimed", "报销金额").Required().Currency("CNY").Range(0.01m, null))
            .Attachment("proof", f => f.Label("Proof of performance", "执行证明"))
            .Text("proofReference", f => f.Label("Proof reference (invoice, link)", "证明编号（发票号、链接）").MaxLength(300))
            .LongText("description", f => f.Label("What was done", "活动执行情况"))
            .Picklist("status", f => f.Label("Approval status", "审批状态")
                .Option("draft", "Draft", "草稿").Option("pendingApproval", "Pending approval", "审批中")
                .Option("approved", "Approved", "已批准").Option("rejected", "Rejected", "已驳回").Default("draft").Indexed())
            .Lookup("payout", Payout, f => f.Label("Payout", "付款单").Inverse("claims"))
            .DateTime("paidAt", f => f.Label("Paid", "付款时间")));
        builder.ApprovalProcess(ClaimProcess, Claim, p => p
            .ChannelStep()
            .Locks("request", "amount", "proof", "proofReference")
            .Status("status", "pendingApproval", "approved", "rejected", recalled: "draft"));
        builder.Entity(Payout, e => e
            .Label("Partner payout", "伙伴付款单")
            .Description("One payment to a partner settling its pending commissions and rebates and its approved MDF claims.", "向伙伴的一次付款，结清其待付佣金、返利及已批准的市场基金报销。")
            .AutoNumber("number", "PPO-{yyyy}-{0000}", f => f.Label("Number", "付款单号"))
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("payouts"))
            .Date("paidOn", f => f.Label("Paid on", "付款日期").Required().Indexed())
            .Text("reference", f => f.Label("Bank reference", "银行流水号").MaxLength(100))
            .Money("commissionTotal", f => f.Label("Commissions", "佣金合计").Currency("CNY"))
            .Money("rebateTotal", f => f.Label("Rebates", "返利合计").Currency("CNY"))
            .Money("fundTotal", f => f.Label("MDF claims", "市场基金报销合计").Currency("CNY"))
            .Money("total", f => f.Label("Total paid", "付款总额").Currency("CNY")));
    }

    /// <summary>What commissions and rebates share: pending until a payout pays them.</summary>
    private static EntityBuilder Payable(EntityBuilder e) => e
        .Picklist("status", f => f.Label("Status", "状态").Option("pending", "To be paid", "待支付").Option("paid", "Paid", "已支付").Default("pending").Indexed())
        .Lookup("payout", Payout, f => f.Label("Payout", "付款单").Inverse(e.Name == Commission ? "commissions" : "rebates"))
        .DateTime("paidAt", f => f.Label("Paid", "付款时间"))
        .Text("note", f => f.Label("Note", "说明").MaxLength(500));
}
