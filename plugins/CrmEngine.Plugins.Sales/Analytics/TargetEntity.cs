using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>销售目标: a rep's (the owner's) or a team's quota for a month, quarter or year.</summary>
internal static class TargetEntity
{
    public const string Name = "target";

    /// <summary>The first day after the target's period.</summary>
    public static DateOnly End(CrmRecord target)
    {
        var start = target.GetValue<DateOnly>("periodStart");
        return target.GetValue<string>("periodType") switch { "month" => start.AddMonths(1), "quarter" => start.AddMonths(3), _ => start.AddYears(1) };
    }

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Sales target", "销售目标")
        .Description("A quota for a period: the owner's own, or a team's when teamId is set.", "某期间的销售目标：负责人的个人目标，或设置 teamId 时为团队目标。")
        .Text("name", f => f.Label("Name", "名称").MaxLength(100))
        .Picklist("periodType", f => f.Label("Period", "周期").Option("month", "Month", "月度").Option("quarter", "Quarter", "季度").Option("year", "Year", "年度").Required())
        .Date("periodStart", f => f.Label("Period starts", "周期开始日期").Required().Indexed())
        .Money("amount", f => f.Label("Target amount", "目标金额").Required().Currency("CNY").Range(0, null))
        .Text("teamId", f => f.Label("Team (for a team target)", "团队（团队目标）").MaxLength(64)));
}

/// <summary>A target starts on the first day of its period; a team is named by id, global id or name and stored as its id.</summary>
internal sealed class TargetGuard : IBeforeRecordHook
{
    public string Entity => TargetEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("periodStart") is DateOnly start && record.GetValue("periodType") is string type)
        {
            var aligned = type switch
            {
                "month" => start.Day == 1,
                "quarter" => start.Day == 1 && start.Month % 3 == 1,
                _ => start.Day == 1 && start.Month == 1,
            };
            if (!aligned)
            {
                record.Reject($"A {type} target starts on the first day of its {type}.", "periodStart");
                return;
            }
        }

        if (record.IsChanging("teamId") && record.GetValue("teamId") is string reference)
        {
            if (await record.Directory.FindTeamAsync(reference, cancellationToken) is not { } team)
            {
                record.Reject($"There is no team '{reference}'.", "teamId");
                return;
            }

            record.SetValue("teamId", team.Id.ToString());
        }
    }
}
