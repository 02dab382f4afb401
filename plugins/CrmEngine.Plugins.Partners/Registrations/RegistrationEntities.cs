using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>报备: a partner's claim on a deal, the conflicts found when it was submitted, and its approval with a protection period.</summary>
internal static class RegistrationEntities
{
    public const string Registration = "dealRegistration";
    public const string Conflict = "dealConflict";
    public const string Process = "dealRegistrationApproval";

    /// <summary>Statuses in which a registration still claims its customer against other partners.</summary>
    public static readonly IReadOnlyList<object?> Claiming = ["pendingApproval", "approved"];

    /// <summary>Fields only the module writes (submission, approval, extension, expiry, conversion).</summary>
    public static readonly string[] Managed =
    [
        "partner", "status", "dealMatchName", "dealMatchDomain", "dealMatchPhone", "conflictCount", "submittedAt", "approvedAt", "protectedUntil",
        "extensionCount", "account", "opportunity", "convertedAt",
    ];

    /// <summary>What the partner claimed: fixed while pending (the approval service's lock).</summary>
    public static readonly string[] Claim = ["customerName", "email", "phone", "amount", "expectedCloseDate", "products", "productCategories"];

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Registration, e => e
            .Label("Deal registration", "商机报备")
            .Description("A partner's claim on a deal: checked for conflicts, approved with a protection period, converted into an opportunity.", "合作伙伴对商机的报备：冲突检测、审批后获得保护期、转为销售商机。")
            .AutoNumber("number", "REG-{yyyy}-{0000}", f => f.Label("Number", "报备编号"))
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("registrations"))
            .Text("customerName", f => f.Label("Customer", "客户名称").Required().MaxLength(200).Searchable())
            .Text("contactName", f => f.Label("Customer contact", "客户联系人").MaxLength(100))
            .Email("email", f => f.Label("Contact e-mail", "联系人邮箱"))
            .Phone("phone", f => f.Label("Contact phone", "联系人电话"))
            .Picklist("region", f => f.Label("Region", "区域").SalesRegions())
            .Text("products", f => f.Label("Products", "产品").MaxLength(500))
            .MultiPicklist("productCategories", f => f.Label("Product categories", "产品类别").ProductCategories())
            .Money("amount", f => f.Label("Estimated amount", "预计金额").Required().Currency("CNY").Range(0, null))
            .Date("expectedCloseDate", f => f.Label("Expected close date", "预计成交日期").Required())
            .LongText("notes", f => f.Label("Notes", "备注"))
            .Picklist("status", f => f.Label("Status", "报备状态")
                .Option("draft", "Draft", "草稿").Option("pendingApproval", "Pending approval", "审批中").Option("approved", "Approved (protected)", "已批准（保护中）")
                .Option("rejected", "Rejected", "已驳回").Option("expired", "Expired", "已过期").Option("converted", "Converted", "已转商机").Default("draft").Indexed())
            .Text("dealMatchName", f => f.Label("Customer (match key)", "客户名称（查重键）").MaxLength(200).Indexed())
            .Text("dealMatchDomain", f => f.Label("E-mail domain (match key)", "邮箱域名（查重键）").MaxLength(200).Indexed())
            .Text("dealMatchPhone", f => f.Label("Phone (match key)", "电话（查重键）").MaxLength(40).Indexed())
            .Integer("conflictCount", f => f.Label("Conflicts found", "冲突数").Range(0, null).Default("0"))
            .DateTime("submittedAt", f => f.Label("Submitted", "提交时间"))
            .DateTime("approvedAt", f => f.Label("Approved", "批准时间"))
            .Date("protectedUntil", f => f.Label("Protected until", "保护期至").Indexed())
            .Integer("extensionCount", f => f.Label("Extensions", "延期次数").Range(0, null).Default("0"))
            .Lookup("account", "account", f => f.Label("Account", "客户").Inverse("dealRegistrations"))
            .Lookup("opportunity", "opportunity", f => f.Label("Opportunity", "商机").Inverse("dealRegistrations"))
            .DateTime("convertedAt", f => f.Label("Converted", "转化时间")));
        builder.Entity(Conflict, e => e
            .Label("Registration conflict", "报备冲突")
            .Description("An existing account, lead, opportunity or other partner's registration a registration matched when it was submitted, and why.", "报备提交时匹配到的已有客户、线索、商机或其他伙伴的报备，及匹配原因。")
            .Lookup("registration", Registration, f => f.Label("Registration", "报备").Required().Inverse("conflicts"))
            .Picklist("kind", f => f.Label("Matched", "冲突对象").Required()
                .Option("account", "Existing account", "已有客户").Option("lead", "Open lead", "在跟线索").Option("opportunity", "Open opportunity", "在跟商机")
                .Option("registration", "Another partner's registration", "其他伙伴报备"))
            .MultiPicklist("reasons", f => f.Label("Matched on", "匹配原因")
                .Option("companyName", "Company name", "公司名称").Option("emailDomain", "E-mail domain", "邮箱域名").Option("phone", "Phone number", "电话号码"))
            .Text("matchedName", f => f.Label("Matched record", "匹配记录").MaxLength(200))
            .Lookup("account", "account", f => f.Label("Account", "客户").Inverse("dealConflicts"))
            .Lookup("lead", "lead", f => f.Label("Lead", "线索").Inverse("dealConflicts"))
            .Lookup("opportunity", "opportunity", f => f.Label("Opportunity", "商机").Inverse("dealConflicts"))
            .Lookup("otherRegistration", Registration, f => f.Label("Other registration", "其他报备").Inverse("conflictsRaised")));
        builder.ApprovalProcess(Process, Registration, p => p
            .ChannelStep()
            .Locks(Claim)
            .Status("status", "pendingApproval", "approved", "rejected"));
    }
}
