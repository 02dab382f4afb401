using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>工作日历 and 服务级别策略: the business time a team keeps, and the targets per priority counted in it.</summary>
internal static class SlaEntities
{
    public const string Calendar = "serviceCalendar";
    public const string CalendarDay = "serviceCalendarDay";
    public const string Policy = SlaPolicyNames.Entity;

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Calendar, e => e
            .Label("Service calendar", "工作日历")
            .Description("A team's time zone, working hours, working weekdays, holidays and make-up working days.", "团队的时区、工作时间、工作日、节假日与调休上班日。")
            .Text("name", f => f.Label("Name", "名称").Required().Unique().MaxLength(100))
            .Text("timeZone", f => f.Label("Time zone", "时区").Required().MaxLength(64).Default("Asia/Shanghai"))
            .Text("workdayStart", f => f.Label("Working day starts (HH:mm)", "上班时间（HH:mm）").Required().MaxLength(5).Default("09:00"))
            .Text("workdayEnd", f => f.Label("Working day ends (HH:mm)", "下班时间（HH:mm）").Required().MaxLength(5).Default("18:00"))
            .MultiPicklist("workingDays", f => f.Label("Working weekdays", "每周工作日")
                .Option("mon", "Monday", "星期一").Option("tue", "Tuesday", "星期二").Option("wed", "Wednesday", "星期三")
                .Option("thu", "Thursday", "星期四").Option("fri", "Friday", "星期五").Option("sat", "Saturday", "星期六").Option("sun", "Sunday", "星期日")));
        builder.Entity(CalendarDay, e => e
            .Label("Calendar day", "日历特殊日")
            .Description("A public holiday off, or a make-up working day (调休) worked, on a calendar.", "日历上的法定节假日（休息）或调休上班日（上班）。")
            .Lookup("calendar", Calendar, f => f.Label("Calendar", "工作日历").Required().Inverse("days"))
            .Date("date", f => f.Label("Date", "日期").Required().Indexed())
            .Picklist("kind", f => f.Label("Kind", "类型")
                .Option("holiday", "Holiday (off)", "节假日（休息）").Option("workday", "Make-up working day", "调休上班日").Required())
            .Text("name", f => f.Label("Name", "名称").MaxLength(200)));
        builder.Entity(Policy, e => e
            .Label("SLA policy", "服务级别策略")
            .Description("First response, next response and resolution targets for cases of a priority, in a calendar's business time.", "某优先级工单的首次响应、后续响应与解决时限，按工作日历的工作时间计算。")
            .Text("name", f => f.Label("Name", "名称").Required().MaxLength(100))
            .Picklist("priority", f => f.Label("Priority", "优先级")
                .Option("low", "Low", "低").Option("normal", "Normal", "普通").Option("high", "High", "高").Option("urgent", "Urgent", "紧急").Required().Indexed())
            .Lookup("calendar", Calendar, f => f.Label("Calendar", "工作日历").Required())
            .Integer("firstResponseMinutes", f => f.Label("First response target (business minutes)", "首次响应时限（工作分钟）").Required().Range(1, 525600))
            .Integer("nextResponseMinutes", f => f.Label("Next response target (business minutes)", "后续响应时限（工作分钟）")
                .Description("After each customer reply, the agent's next answer is due within this; empty: no target.", "客户每次回复后，坐席须在此时限内再次答复；为空表示不设时限。").Range(1, 525600))
            .Integer("resolutionMinutes", f => f.Label("Resolution target (business minutes)", "解决时限（工作分钟）").Required().Range(1, 525600))
            .Integer("warnAtPercent", f => f.Label("Warn at (% of a target)", "预警阈值（时限的百分比）").Range(1, 99).Default("80"))
            .Boolean("active", f => f.Label("Active", "启用").Default("true")));
    }
}
