using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Escalation;

/// <summary>
/// 升级规则 and 升级记录: rules that hand a case up when it waits too long (unassigned, or unanswered,
/// for N minutes), and the escalations a case went through, each with its reason.
/// </summary>
internal static class EscalationEntities
{
    public const string Rule = "serviceEscalationRule";
    public const string Record = "serviceCaseEscalation";

    public const string Unassigned = "unassigned";
    public const string Unanswered = "unanswered";

    /// <summary>The rule (after the queues and agents it names).</summary>
    public static void DeclareRule(IPluginBuilder builder) => builder.Entity(Rule, e => e
        .Label("Escalation rule", "升级规则")
        .Description("Hands a case up to a team lead, one priority higher, when it waits unassigned or unanswered too long.", "工单未分配或未答复超过设定时间时，升级给组长并提高一级优先级。")
        .Text("name", f => f.Label("Name", "名称").Required().MaxLength(100))
        .Picklist("trigger", f => f.Label("When the case is", "触发条件")
            .Option(Unassigned, "Unassigned", "未分配").Option(Unanswered, "Unanswered", "未答复").Required())
        .Integer("minutes", f => f.Label("For (minutes)", "持续时间（分钟）").Required().Range(1, 525600))
        .MultiPicklist("priorities", f => f.Label("Priorities (empty: all)", "适用优先级（为空表示全部）").Priorities())
        .Lookup("queue", RoutingEntities.Queue, f => f.Label("Queue (empty: all)", "适用队列（为空表示全部）"))
        .Lookup("escalateTo", RoutingEntities.Agent, f => f.Label("Team lead", "升级至（组长）").Description("The agent who takes the case over; empty: the owner stays.", "接手工单的坐席；为空则负责人不变。"))
        .Boolean("raisePriority", f => f.Label("Raise the priority", "提高优先级").Default("true"))
        .Boolean("active", f => f.Label("Active", "启用").Default("true")));

    /// <summary>The escalation log (after the case it belongs to).</summary>
    public static void DeclareRecord(IPluginBuilder builder) => builder.Entity(Record, e => e
        .Label("Case escalation", "工单升级记录")
        .Description("One escalation of a case, by a rule or by hand, with its reason.", "工单的一次升级（按规则或手动）及其原因。")
        .Lookup("case", CaseEntity.Name, f => f.Label("Case", "服务请求").Required().Inverse("escalations"))
        .Lookup("rule", Rule, f => f.Label("Rule (empty: by hand)", "升级规则（为空表示手动）").Inverse("escalations"))
        .Text("reason", f => f.Label("Reason", "原因").Required().MaxLength(500))
        .DateTime("at", f => f.Label("At", "时间").Required())
        .Picklist("priorityBefore", f => f.Label("Priority before", "升级前优先级").Priorities())
        .Picklist("priorityAfter", f => f.Label("Priority after", "升级后优先级").Priorities()));

    private static Sdk.Metadata.FieldBuilder Priorities(this Sdk.Metadata.FieldBuilder field) =>
        field.Option("low", "Low", "低").Option("normal", "Normal", "普通").Option("high", "High", "高").Option("urgent", "Urgent", "紧急");
}
