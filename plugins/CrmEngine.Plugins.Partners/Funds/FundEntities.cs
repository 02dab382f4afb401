using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners.Funds;

/// <summary>市场发展基金 (MDF): a partner's budget for a period, and the requests approved against it.</summary>
internal static class FundEntities
{
    public const string Budget = "mdfBudget";
    public const string Request = "mdfRequest";
    public const string Process = "mdfRequestApproval";

    /// <summary>Budget fields only the module writes: what approved requests commit, and what is left.</summary>
    public static readonly string[] Kept = ["committed", "remaining", "claimed"];

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Budget, e => e
            .Label("MDF budget", "市场发展基金预算")
            .Description("Market development funds a partner may spend in a period; approved requests commit it and it never goes below zero.", "伙伴在某期间可使用的市场发展基金；批准的申请占用预算，余额永不为负。")
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("mdfBudgets"))
            .Text("period", f => f.Label("Period", "期间").Required().MaxLength(20).Pattern(@"^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$").Description("2027, 2027-H1, 2027-Q3 or 2027-05", "如 2027、2027-H1、2027-Q3、2027-05"))
            .Money("amount", f => f.Label("Budget", "预算金额").Required().Currency("CNY").Range(0, null))
            .Money("committed", f => f.Label("Committed", "已占用").Currency("CNY").Default("0"))
            .Money("remaining", f => f.Label("Remaining", "可用余额").Currency("CNY"))
            .Money("claimed", f => f.Label("Claimed", "已报销").Currency("CNY").Default("0").Description("What approved claims take from approved requests; never more than committed.", "已批准报销占用的金额，不超过已占用预算。")));
        builder.Entity(Request, e => e
            .Label("MDF request", "市场基金申请")
            .Description("A partner's request for market development funds for an activity, approved against its budget.", "伙伴为市场活动申请市场发展基金，按预算审批。")
            .AutoNumber("number", "MDF-{yyyy}-{0000}", f => f.Label("Number", "申请编号"))
            .Lookup("budget", Budget, f => f.Label("Budget", "预算").Required().Inverse("requests"))
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Inverse("mdfRequests").Description("The budget's partner, kept by the module: a portal's organization lookup.", "预算所属伙伴，由模块维护，供门户按伙伴划分数据。"))
            .Text("activity", f => f.Label("Activity", "活动名称").Required().MaxLength(200))
            .LongText("description", f => f.Label("Plan", "活动计划"))
            .Money("amount", f => f.Label("Amount requested", "申请金额").Required().Currency("CNY").Range(0.01m, null))
            .Attachment("proof", f => f.Label("Proof of performance", "执行证明"))
            .Money("claimed", f => f.Label("Claimed", "已报销").Currency("CNY").Default("0").Description("What approved claims took from this request, kept by the module.", "已批准报销占用的金额，由模块维护。"))
            .Picklist("status", f => f.Label("Approval status", "审批状态")
                .Option("draft", "Draft", "草稿").Option("pendingApproval", "Pending approval", "审批中")
                .Option("approved", "Approved", "已批准").Option("rejected", "Rejected", "已驳回").Default("draft").Indexed()));
        builder.ApprovalProcess(Process, Request, p => p
            .ChannelStep()
            .Locks("budget", "amount")
            .Status("status", "pendingApproval", "approved", "rejected", recalled: "draft"));
    }
}
