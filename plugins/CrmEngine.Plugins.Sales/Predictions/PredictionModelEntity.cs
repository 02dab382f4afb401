using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>预测模型: one per kind of score, the tenant's latest training run and how good it was; written only by the predictive-scores job.</summary>
internal static class PredictionModelEntity
{
    public const string Name = "predictionModel";

    public const string LeadConversion = "leadConversion";

    public const string AccountChurn = "accountChurn";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Prediction model", "预测模型")
        .Description("A predictive score's latest training on this tenant's own history: its measured quality, or why the rule score is used.", "预测评分在本租户历史数据上的最近一次训练：模型质量，或使用规则评分的原因。")
        .Picklist("kind", f => f.Label("Score", "评分类型").Required().Unique()
            .Option(LeadConversion, "Lead conversion", "线索转化可能性").Option(AccountChurn, "Account churn risk", "客户流失风险"))
        .Text("algorithm", f => f.Label("Algorithm", "算法").MaxLength(100))
        .Decimal("auc", f => f.Label("AUC (cross-validated)", "AUC（交叉验证）").Scale(4).Range(0, 1))
        .Decimal("logLoss", f => f.Label("Log-loss (cross-validated)", "对数损失（交叉验证）").Scale(4).Range(0, null))
        .Integer("trainingRows", f => f.Label("Training examples", "训练样本数").Range(0, null))
        .Integer("positives", f => f.Label("Positive examples", "正样本数").Range(0, null))
        .Integer("negatives", f => f.Label("Negative examples", "负样本数").Range(0, null))
        .DateTime("trainedAt", f => f.Label("Trained", "训练时间"))
        .Picklist("quality", f => f.Label("Quality", "模型质量")
            .Option("good", "Good", "良好").Option("fair", "Fair", "一般").Option("low", "Low", "较差").Option("insufficient", "Too little history", "历史数据不足"))
        .Boolean("usingRuleFallback", f => f.Label("Rule score in use", "使用规则评分").Default("false"))
        .LongText("message", f => f.Label("Message", "说明")));
}
