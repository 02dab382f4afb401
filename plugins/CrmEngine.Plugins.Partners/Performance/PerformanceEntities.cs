using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary>绩效: partner targets per period, the scorecard's weights and tier thresholds, and the history of tier reviews.</summary>
internal static class PerformanceEntities
{
    public const string Target = "partnerTarget";
    public const string TierChange = "partnerTierChange";

    /// <summary>The scorecard's weights (per tenant), by metric.</summary>
    public static readonly (string Setting, string Metric, int Default, string En, string Zh)[] Weights =
    [
        ("weightRevenue", "revenue", 40, "Weight: sourced revenue", "权重：来源回款"),
        ("weightWinRate", "winRate", 20, "Weight: win rate", "权重：赢单率"),
        ("weightAttainment", "attainment", 25, "Weight: target attainment", "权重：目标达成率"),
        ("weightCertifications", "certifications", 15, "Weight: active certifications", "权重：有效认证"),
    ];

    /// <summary>The score a tier needs (per tenant), highest first.</summary>
    public static readonly (string Setting, string Tier, int Default, string En, string Zh)[] Thresholds =
    [
        ("platinumScore", "platinum", 80, "Score for platinum", "白金级所需得分"),
        ("goldScore", "gold", 60, "Score for gold", "金牌级所需得分"),
        ("silverScore", "silver", 40, "Score for silver", "银牌级所需得分"),
    ];

    public const string GraceDays = "tierGraceDays";

    public static void Declare(IPluginBuilder builder)
    {
        foreach (var (setting, _, value, en, zh) in Weights.Concat(Thresholds.Select(t => (t.Setting, t.Tier, t.Default, t.En, t.Zh))))
        {
            builder.Setting(setting, SettingType.Integer, s => s.Label(en, zh).Default(value));
        }

        builder.Setting(GraceDays, SettingType.Integer, s => s.Label("Grace before a downgrade (days)", "降级宽限期（天）").Default(90));
        builder.Entity(Target, e => e
            .Label("Partner target", "伙伴目标")
            .Description("The revenue a partner is to source in a period; the scorecard's attainment.", "伙伴在某期间应带来的回款目标，用于计算目标达成率。")
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("targets"))
            .Text("period", f => f.Label("Period", "期间").Required().MaxLength(20).Pattern(@"^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$").Description("2027, 2027-H1, 2027-Q3 or 2027-05", "如 2027、2027-H1、2027-Q3、2027-05"))
            .Money("revenueTarget", f => f.Label("Sourced revenue target", "来源回款目标").Required().Currency("CNY").Range(0.01m, null)));
        builder.Entity(TierChange, e => e
            .Label("Tier review", "级别评审记录")
            .Description("What a tier review decided for a partner: an upgrade, a downgrade warning with its grace period, a downgrade, or a recovery.", "级别评审对伙伴的结论：升级、降级预警（含宽限期）、降级或恢复。")
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("tierChanges"))
            .Text("period", f => f.Label("Period reviewed", "评审期间").Required().MaxLength(20))
            .Picklist("kind", f => f.Label("Decision", "结论").Required()
                .Option("upgrade", "Upgrade", "升级").Option("warning", "Downgrade warning", "降级预警")
                .Option("downgrade", "Downgrade", "降级").Option("recovered", "Recovered", "恢复").Indexed())
            .Picklist("fromTier", f => TierOptions(f.Label("From tier", "原级别")))
            .Picklist("toTier", f => TierOptions(f.Label("To tier", "新级别")))
            .Decimal("score", f => f.Label("Score", "得分").Scale(2))
            .Text("reason", f => f.Label("Reason", "原因").MaxLength(500))
            .Date("reviewedOn", f => f.Label("Reviewed on", "评审日期").Indexed())
            .Text("key", f => f.Label("Partner, period and decision", "伙伴、期间与结论").Required().MaxLength(100).Unique()
                .Description("A review decides each thing once per partner and period, on however many hosts it runs.", "每个伙伴每期每种结论只记录一次，无论多少台主机运行评审。")));
    }

    public static Sdk.Metadata.FieldBuilder TierOptions(Sdk.Metadata.FieldBuilder f) => f
        .Option("registered", "Registered", "注册级").Option("silver", "Silver", "银牌").Option("gold", "Gold", "金牌").Option("platinum", "Platinum", "白金");
}
