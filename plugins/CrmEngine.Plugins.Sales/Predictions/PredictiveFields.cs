using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>The score fields the predictive-scores job writes on leads and accounts; nobody else may write them.</summary>
internal static class PredictiveFields
{
    public static readonly string[] OnLead = ["conversionScore", "scoreFactors"];

    public static readonly string[] OnAccount = ["churnRisk", "churnFactors"];

    public static EntityBuilder Conversion(EntityBuilder lead) => lead
        .Integer("conversionScore", f => f.Label("Conversion likelihood", "转化可能性").Range(0, 100).Indexed())
        .Text("scoreFactors", f => f.Label("Conversion score factors", "转化评分主要因素").MaxLength(1000));

    public static EntityBuilder Churn(EntityBuilder account) => account
        .Integer("churnRisk", f => f.Label("Churn risk", "流失风险").Range(0, 100).Indexed())
        .Text("churnFactors", f => f.Label("Churn risk factors", "流失风险主要因素").MaxLength(1000));
}
