using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Settings;

/// <summary>
/// The tenant's sales settings, kept as the one record of a plugin entity rather than a separate
/// settings store: the fields are typed, labelled, validated and audited like any record, admins
/// change them with <c>updateSalesSettings</c>, tenants may add fields of their own, and rules can
/// read them with <c>crm.find('salesSettings')</c>.
/// </summary>
internal static class SalesSettingsEntity
{
    public const string Name = "salesSettings";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Sales settings", "销售设置")
        .Plural("salesSettingsRecords", "Sales settings", "销售设置")
        .Description("The tenant's sales rules: assignment, duplicates, the shared pool, approvals, commissions. One record.", "本租户的销售规则：分配、查重、公海、审批、提成。仅一条记录。")
        .Text("currency", f => f.Label("Currency", "币种").MaxLength(3).Pattern("^[A-Z]{3}$").Default("CNY"))
        .Text("timeZone", f => f.Label("Time zone", "时区").MaxLength(64).Default("Asia/Shanghai"))
        .Picklist("leadAssignment", f => f.Label("Lead assignment", "线索分配方式")
            .Option("roundRobin", "Round robin", "轮流分配").Option("leastLoaded", "Fewest open leads", "按负载分配")
            .Option("territory", "By territory", "按区域分配").Option("off", "Off (creator keeps the lead)", "不自动分配").Default("roundRobin"))
        .MultiPicklist("dedupFields", f => f.Label("Duplicate check on", "查重字段")
            .Option("email", "E-mail", "邮箱").Option("phone", "Phone", "电话").Option("company", "Company name", "公司名称").Default("email,phone,company"))
        .Picklist("duplicateAction", f => f.Label("On a duplicate", "重复时")
            .Option("merge", "Merge into the existing record", "合并到已有记录").Option("link", "Create and link to the existing record", "新建并关联已有记录").Default("merge"))
        .Integer("gradeAScore", f => f.Label("Grade A from score", "A级线索分数线").Range(0, 1000).Default("70"))
        .Integer("gradeBScore", f => f.Label("Grade B from score", "B级线索分数线").Range(0, 1000).Default("40"))
        .Integer("gradeCScore", f => f.Label("Grade C from score", "C级线索分数线").Range(0, 1000).Default("20"))
        .Integer("remindAfterDays", f => f.Label("Remind owners after days without contact", "未联系提醒天数").Range(0, 3650).Default("7"))
        .Integer("poolNoFollowUpDays", f => f.Label("Return to pool after days without follow-up", "未跟进退回公海天数").Range(0, 3650).Default("30"))
        .Integer("poolNoDealDays", f => f.Label("Return to pool after days without deal progress", "商机未推进退回公海天数").Range(0, 3650).Default("90"))
        .Integer("maxAccountsPerRep", f => f.Label("Accounts a rep may hold", "每人客户上限").Range(0, 100000).Default("50"))
        .Integer("claimCoolDownDays", f => f.Label("Days before re-claiming a released account", "释放后重新领取冷却天数").Range(0, 3650).Default("7"))
        .Text("managerRole", f => f.Label("Manager role (assigns accounts, approves contracts)", "主管角色（分配客户、审批合同）").MaxLength(64).Default("salesManager"))
        .Picklist("commissionBasis", f => f.Label("Commission rates", "提成比例依据")
            .Option("rep", "Per rep", "按销售人员").Option("product", "Per product", "按产品").Default("rep"))
        .Decimal("defaultCommissionRate", f => f.Label("Default commission rate (%)", "默认提成比例（%）").Range(0, 100).Scale(4).Default("3"))
        .Integer("loyalAfterOrders", f => f.Label("Loyal after orders", "忠诚客户订单数").Range(1, 1000).Default("5"))
        .Integer("atRiskAfterDays", f => f.Label("At risk after days without an order", "无订单流失预警天数").Range(0, 3650).Default("180")));
}
