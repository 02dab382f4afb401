using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// The tenant's scoring settings: points per interaction kind (a campaign's opened, clicked,
/// responded; a website's page visit and custom event, from the events endpoint), the half-life of
/// those points in days, and the marketing-qualified (MQL) threshold the lead's combined score
/// (sales' fit score plus the behavioural score) must reach.
/// </summary>
internal sealed record ScoringSettings(long Opened, long Clicked, long Responded, long HalfLifeDays, long MqlThreshold, long PageVisit = 0, long CustomEvent = 0)
{
    /// <summary>The campaign interaction kinds, each stamped on a membership as <c>{kind}At</c>.</summary>
    public static readonly string[] Kinds = ["opened", "clicked", "responded"];

    /// <summary>The website's event kinds, each a marketing interaction of that kind.</summary>
    public static readonly string[] EventKinds = ["pageVisit", "customEvent"];

    public long Points(string kind) => kind switch
    {
        "opened" => Opened,
        "clicked" => Clicked,
        "responded" => Responded,
        "pageVisit" => PageVisit,
        "customEvent" => CustomEvent,
        _ => 0,
    };

    public static void Declare(IPluginBuilder builder)
    {
        Integer(builder, "scoreOpened", 5, "Points for an opened e-mail", "打开邮件得分");
        Integer(builder, "scoreClicked", 10, "Points for a clicked link", "点击链接得分");
        Integer(builder, "scoreResponded", 30, "Points for a response (form, event, reply)", "响应（表单、活动、回复）得分");
        Integer(builder, "scorePageVisit", 2, "Points for a page visit (events endpoint)", "访问页面得分（事件接口）");
        Integer(builder, "scoreCustomEvent", 5, "Points for a custom event (events endpoint)", "自定义事件得分（事件接口）");
        Integer(builder, "scoreHalfLifeDays", 30, "Days after which interaction points halve (0: never)", "互动分数减半天数（0 为不衰减）");
        Integer(builder, "mqlThreshold", 100, "Combined score (sales' score + behavioural score) that makes a lead marketing-qualified", "营销合格线索（MQL）阈值：销售评分与行为评分之和");
    }

    public static async Task<ScoringSettings> LoadAsync(IPluginSettings settings, CancellationToken cancellationToken) => new(
        await settings.GetAsync<long>("scoreOpened", cancellationToken),
        await settings.GetAsync<long>("scoreClicked", cancellationToken),
        await settings.GetAsync<long>("scoreResponded", cancellationToken),
        await settings.GetAsync<long>("scoreHalfLifeDays", cancellationToken),
        await settings.GetAsync<long>("mqlThreshold", cancellationToken),
        await settings.GetAsync<long>("scorePageVisit", cancellationToken),
        await settings.GetAsync<long>("scoreCustomEvent", cancellationToken));

    private static void Integer(IPluginBuilder builder, string name, long value, string en, string zh) =>
        builder.Setting(name, SettingType.Integer, s => s.Label(en, zh).Default(value));
}
