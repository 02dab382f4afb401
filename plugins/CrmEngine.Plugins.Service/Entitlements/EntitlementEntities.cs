using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Entitlements;

/// <summary>
/// 服务许可 (service agreements and entitlements): what an account may ask for (a product or all, some
/// channels or all, a span of dates) and how much of it (cases, or hours of work), with what it has
/// used so far; and the hours agents log on cases against it.
/// </summary>
internal static class EntitlementEntities
{
    public const string Entitlement = "serviceEntitlement";
    public const string TimeEntry = "serviceTimeEntry";

    /// <summary>Entitlement fields only the module writes: what cases and logged hours used, and what is left.</summary>
    public static readonly string[] Kept = ["used", "remaining"];

    /// <summary>The entitlement (before the case, which looks it up).</summary>
    public static void Declare(IPluginBuilder builder) =>
        builder.Entity(Entitlement, e => e
            .Label("Service entitlement", "服务许可")
            .Description("What an account's service agreement entitles it to: a product (or all), channels (or all), dates, and a number of cases or hours.", "客户服务协议所许可的内容：产品（或全部）、渠道（或全部）、有效期，以及工单数或服务小时数。")
            .Text("name", f => f.Label("Name", "名称").Required().MaxLength(200))
            .Lookup("account", "account", f => f.Label("Account", "客户").Required().Inverse("serviceEntitlements"))
            .Lookup("product", "product", f => f.Label("Product (empty: all)", "产品（为空表示全部）").Inverse("serviceEntitlements"))
            .MultiPicklist("channels", f => f.Label("Channels (empty: all)", "渠道（为空表示全部）").Channels())
            .Date("startDate", f => f.Label("Valid from", "生效日期").Required().Indexed())
            .Date("endDate", f => f.Label("Valid until", "失效日期").Required().Indexed())
            .Picklist("unit", f => f.Label("Counted in", "计量单位")
                .Option("cases", "Cases", "工单数").Option("hours", "Hours of work", "服务小时").Default("cases").Required())
            .Decimal("allowance", f => f.Label("Allowance", "许可额度").Required().Range(0, 1000000).Scale(2))
            .Decimal("used", f => f.Label("Used", "已使用").Scale(2).Default("0"))
            .Decimal("remaining", f => f.Label("Remaining", "剩余额度").Scale(2))
            .Lookup("supportHours", SlaEntities.Calendar, f => f.Label("Support hours", "服务时间")
                .Description("The calendar the SLA clocks of the cases it covers run on (9×5, 24×7); empty: the SLA policy's calendar.", "所覆盖工单的服务时限按此日历计算（如 5×9、7×24）；为空则按服务级别策略的日历。"))
            .Picklist("priority", f => f.Label("Priority of its cases", "工单优先级").Description("Cases it covers start at least at this priority (and its SLA policy).", "所覆盖的工单至少按此优先级（及其服务级别策略）处理。")
                .Option("low", "Low", "低").Option("normal", "Normal", "普通").Option("high", "High", "高").Option("urgent", "Urgent", "紧急")));

    /// <summary>The time entry (after the case it is logged on).</summary>
    public static void DeclareTimeEntry(IPluginBuilder builder) =>
        builder.Entity(TimeEntry, e => e
            .Label("Service time entry", "服务工时")
            .Description("Hours an agent worked on a case, used from the case's entitlement when it counts hours.", "客服在工单上投入的工时；若工单的服务许可按小时计量，则从中扣减。")
            .Lookup("case", CaseEntity.Name, f => f.Label("Case", "服务请求").Required().Inverse("timeEntries"))
            .Lookup("entitlement", Entitlement, f => f.Label("Entitlement", "服务许可").Inverse("timeEntries"))
            .Decimal("hours", f => f.Label("Hours", "小时数").Required().Range(0.01m, 24).Scale(2))
            .Text("note", f => f.Label("Note", "说明").MaxLength(500))
            .DateTime("at", f => f.Label("Logged at", "记录时间")));

    /// <summary>The channels a case comes in by (the case's <c>channel</c> options).</summary>
    public static Sdk.Metadata.FieldBuilder Channels(this Sdk.Metadata.FieldBuilder field) =>
        field.Option("email", "E-mail", "邮件").Option("web", "Web form", "网页表单").Option("phone", "Phone", "电话")
            .Option("api", "API", "API").Option("chat", "Chat", "在线客服").Option("social", "Social media", "社交媒体");
}
