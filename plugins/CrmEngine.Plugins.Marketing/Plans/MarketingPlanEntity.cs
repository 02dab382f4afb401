using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Plans;

/// <summary>市场计划: a period's marketing budget, allocated to its campaigns.</summary>
internal static class MarketingPlanEntity
{
    public const string Name = "marketingPlan";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Marketing plan", "市场计划")
        .Description("A period's marketing budget; campaigns draw their budgets from it.", "一个期间的市场预算，市场活动从中分配预算。")
        .Text("name", f => f.Label("Name", "计划名称").Required().MaxLength(200).Searchable())
        .Date("startDate", f => f.Label("Start date", "开始日期"))
        .Date("endDate", f => f.Label("End date", "结束日期"))
        .Money("budget", f => f.Label("Budget", "预算").Currency("CNY").Range(0, null).Required())
        .Money("allocatedBudget", f => f.Label("Allocated to campaigns", "已分配预算").Currency("CNY"))
        .LongText("description", f => f.Label("Notes", "备注")));
}
