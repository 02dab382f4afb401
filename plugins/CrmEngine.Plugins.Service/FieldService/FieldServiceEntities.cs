using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.FieldService;

/// <summary>
/// 现场服务 (field service): territories, technicians (a user each, with skills, a territory and a
/// working calendar), work orders opened from cases and dispatched to a technician for a slot, their
/// on-site visit (check-in, check-out) and the parts used (sales products).
/// </summary>
internal static class FieldServiceEntities
{
    public const string Territory = "serviceTerritory";
    public const string Technician = "technician";
    public const string WorkOrder = "workOrder";
    public const string Part = "workOrderPart";

    public const string New = "new";
    public const string Scheduled = "scheduled";
    public const string InProgress = "inProgress";
    public const string Completed = "completed";

    /// <summary>Work order fields only dispatch and the visit write.</summary>
    public static readonly string[] Kept = ["status", "technician", "scheduledStart", "scheduledEnd", "checkedInAt", "checkedOutAt", "workDone", "serviceReport"];

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Territory, e => e
            .Label("Service territory", "服务区域")
            .Description("An area field technicians cover.", "现场工程师负责的服务区域。")
            .Text("name", f => f.Label("Name", "名称").Required().Unique().MaxLength(100))
            .LongText("description", f => f.Label("Description", "说明")));
        builder.Entity(Technician, e => e
            .Label("Field technician", "现场工程师")
            .Description("A user who works on site (the record's owner), with skills, a territory and working hours.", "上门服务的用户（记录负责人），及其技能、服务区域与工作时间。")
            .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100))
            .Text("skills", f => f.Label("Skills (comma-separated)", "技能（逗号分隔）").MaxLength(500))
            .Lookup("territory", Territory, f => f.Label("Territory", "服务区域").Inverse("technicians"))
            .Lookup("calendar", SlaEntities.Calendar, f => f.Label("Working calendar", "工作日历").Required())
            .Boolean("active", f => f.Label("Active", "在职").Default("true"))
            .DateTime("lastDispatchedAt", f => f.Label("Last dispatched", "最近派工时间")));
        builder.Entity(WorkOrder, e => e
            .Label("Work order", "维修工单")
            .Description("On-site work for a case: dispatched to a technician for a slot, visited, reported.", "服务请求的上门作业：派给工程师并预约时段，上门处理并出具报告。")
            .AutoNumber("number", "WO-{00000}", f => f.Label("Work order number", "维修工单编号"))
            .Lookup("case", CaseEntity.Name, f => f.Label("Case", "服务请求").Required().Inverse("workOrders"))
            .Lookup("account", "account", f => f.Label("Account", "客户").Inverse("workOrders"))
            .Lookup("product", "product", f => f.Label("Product", "产品").Inverse("workOrders"))
            .Lookup("territory", Territory, f => f.Label("Territory", "服务区域").Inverse("workOrders"))
            .Text("requiredSkills", f => f.Label("Skills needed (comma-separated)", "所需技能（逗号分隔）").MaxLength(500))
            .Text("address", f => f.Label("Site address", "上门地址").MaxLength(500))
            .LongText("description", f => f.Label("Work to do", "作业内容"))
            .Picklist("status", f => f.Label("Status", "状态")
                .Option(New, "New", "待派工").Option(Scheduled, "Scheduled", "已派工").Option(InProgress, "On site", "上门处理中").Option(Completed, "Completed", "已完工")
                .Default(New).Indexed())
            .Lookup("technician", Technician, f => f.Label("Technician", "工程师").Inverse("workOrders"))
            .DateTime("scheduledStart", f => f.Label("Scheduled from", "预约开始").Indexed())
            .DateTime("scheduledEnd", f => f.Label("Scheduled until", "预约结束").Indexed())
            .DateTime("checkedInAt", f => f.Label("Checked in", "到场签到"))
            .DateTime("checkedOutAt", f => f.Label("Checked out", "离场签退"))
            .LongText("workDone", f => f.Label("Work done", "处理结果"))
            .LongText("serviceReport", f => f.Label("Service report", "服务报告")));
        builder.Entity(Part, e => e
            .Label("Part used", "使用备件")
            .Description("A sales product used on a work order, and how many.", "维修工单使用的产品备件及数量。")
            .Lookup("workOrder", WorkOrder, f => f.Label("Work order", "维修工单").Required().Inverse("parts"))
            .Lookup("product", "product", f => f.Label("Product", "产品").Required())
            .Decimal("quantity", f => f.Label("Quantity", "数量").Required().Range(0.01m, 10000).Scale(2)));
    }
}
