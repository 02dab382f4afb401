using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Opportunities;

/// <summary>销售流程: a set of stages a tenant sells through; a tenant may have several (new business, renewals, projects).</summary>
internal static class PipelineEntity
{
    public const string Name = "pipeline";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Pipeline", "销售流程")
        .Description("A sales process: its stages (milestones) with default probabilities.", "销售流程：一组销售阶段（里程碑）及默认赢率。")
        .Text("name", f => f.Label("Name", "名称").Required().Unique().MaxLength(100))
        .Boolean("isDefault", f => f.Label("Default pipeline", "默认流程").Default("false"))
        .Boolean("active", f => f.Label("Active", "启用").Default("true"))
        .LongText("description", f => f.Label("Description", "说明")));
}

/// <summary>销售阶段 / 里程碑: one step of a pipeline, with its order, default probability and forecast category.</summary>
internal static class StageEntity
{
    public const string Name = "stage";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Stage / milestone", "销售阶段 / 里程碑")
        .Description("A step of a pipeline. Open stages come in sortOrder; one won and one lost stage close it.", "销售流程中的一个阶段；进行中的阶段按顺序排列，赢单与输单阶段结束商机。")
        .Lookup("pipeline", PipelineEntity.Name, f => f.Label("Pipeline", "销售流程").Required().Inverse("stages"))
        .Text("name", f => f.Label("Name", "名称").Required().MaxLength(100))
        .Text("key", f => f.Label("Key", "标识").Required().MaxLength(50).Pattern("^[a-zA-Z][a-zA-Z0-9_]*$"))
        .Integer("sortOrder", f => f.Label("Order", "顺序").Required().Range(0, 1000))
        .Decimal("probability", f => f.Label("Default probability (%)", "默认赢率（%）").Required().Range(0, 100).Scale(2))
        .Picklist("category", f => f.Label("Category", "类别").Option("open", "Open", "进行中").Option("won", "Won", "赢单").Option("lost", "Lost", "输单").Default("open"))
        .Picklist("forecastCategory", f => f.Label("Forecast category", "预测类别")
            .Option("pipeline", "Pipeline", "管道").Option("bestCase", "Best case", "最佳情况").Option("commit", "Commit", "承诺")
            .Option("closed", "Closed", "已成交").Option("omitted", "Omitted", "不计入").Default("pipeline")));
}

/// <summary>A stage's key is unique within its pipeline, which has at most one won and one lost stage.</summary>
internal sealed class StageGuard : IRecordValidator
{
    public string Entity => StageEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("pipeline") is not Guid pipeline)
        {
            return;
        }

        var siblings = (await record.Records.FindAsync(StageEntity.Name, Condition.Eq("pipeline", pipeline).And(Condition.Ne("id", record.RecordId)), 500, cancellationToken)).ToList();
        if (siblings.Any(s => s.GetValue<string>("key") == record.GetValue("key") as string))
        {
            record.Reject($"The pipeline already has a stage with key '{record.GetValue("key")}'.", "key");
        }

        if (record.GetValue("category") as string is "won" or "lost" && siblings.Any(s => s.GetValue<string>("category") == record.GetValue("category") as string))
        {
            record.Reject($"A pipeline has one {record.GetValue("category")} stage.", "category");
        }
    }
}

/// <summary>Reads pipelines and their stages.</summary>
internal static class Pipelines
{
    public static async Task<CrmRecord?> DefaultAsync(IRecordApi records, CancellationToken cancellationToken) =>
        (await records.FindAsync(PipelineEntity.Name, Condition.Eq("isDefault", true).And(Condition.Ne("active", false)), 1, cancellationToken)).FirstOrNull()
        ?? (await records.FindAsync(PipelineEntity.Name, Condition.Ne("active", false), 1, cancellationToken)).FirstOrNull();

    public static async Task<IReadOnlyList<CrmRecord>> StagesAsync(IRecordApi records, Guid pipeline, CancellationToken cancellationToken) =>
        (await records.QueryAsync(StageEntity.Name, new RecordQuery { Where = Condition.Eq("pipeline", pipeline), OrderBy = [SortBy.Asc("sortOrder")], First = 500 }, cancellationToken)).Records;
}
