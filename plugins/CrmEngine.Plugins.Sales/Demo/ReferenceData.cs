using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Sales.Demo;

/// <summary>
/// What every tenant gets when it first enables the module: its settings record (with the defaults)
/// and a standard pipeline whose stages are the milestones Chinese sales teams commonly use.
/// </summary>
internal sealed class ReferenceData : IPluginSeed
{
    /// <summary>key, en, zh-CN, order, probability, category, forecast category.</summary>
    public static readonly (string Key, string En, string Zh, long Order, decimal Probability, string Category, string Forecast)[] StandardStages =
    [
        ("prospecting", "Prospecting", "初步接洽", 10, 10m, "open", "pipeline"),
        ("needsAnalysis", "Needs analysis", "需求确认", 20, 25m, "open", "pipeline"),
        ("proposal", "Proposal / quote", "方案报价", 30, 50m, "open", "bestCase"),
        ("negotiation", "Negotiation", "商务谈判", 40, 75m, "open", "commit"),
        ("won", "Closed won", "赢单", 90, 100m, "won", "closed"),
        ("lost", "Closed lost", "输单", 99, 0m, "lost", "omitted"),
    ];

    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        if ((await records.FindAsync(SalesSettingsEntity.Name, null, 1, cancellationToken)).Count == 0)
        {
            await Common.Writes.RequireAsync(records.CreateAsync(SalesSettingsEntity.Name, new FieldValues(), cancellationToken));
        }

        if ((await records.FindAsync(PipelineEntity.Name, null, 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var pipeline = await Common.Writes.RequireAsync(records.CreateAsync(PipelineEntity.Name, new FieldValues
        {
            ["name"] = "标准销售流程 Standard",
            ["isDefault"] = true,
            ["description"] = "初步接洽 → 需求确认 → 方案报价 → 商务谈判 → 赢单 / 输单",
        }, cancellationToken));
        foreach (var (key, en, zh, order, probability, category, forecast) in StandardStages)
        {
            await Common.Writes.RequireAsync(records.CreateAsync(StageEntity.Name, new FieldValues
            {
                ["pipeline"] = pipeline.Id,
                ["key"] = key,
                ["name"] = $"{zh} {en}",
                ["sortOrder"] = order,
                ["probability"] = probability,
                ["category"] = category,
                ["forecastCategory"] = forecast,
            }, cancellationToken));
        }
    }
}
