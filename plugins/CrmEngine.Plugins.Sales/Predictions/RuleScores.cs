namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>
/// The documented scores used instead of a model while a tenant's history is too thin (fewer than
/// <see cref="PredictionRun.MinimumPerOutcome"/> examples of either outcome) or the model it trains
/// is of low quality. Their factors are the rule's own terms, in points.
/// </summary>
internal static class RuleScores
{
    /// <summary>Lead conversion: the lead's rule score (0–85, see LeadScoring) plus 5 points per follow-up, at most 15.</summary>
    public static Prediction Lead(FeatureTable table, FeatureRow row)
    {
        var rule = Value(table, row, "ruleScore");
        var followUps = 5 * Math.Min(3, Value(table, row, "followUps"));
        return Of(rule + followUps, new Factor("ruleScore", rule, rule), new Factor("followUps", Value(table, row, "followUps"), followUps));
    }

    /// <summary>Churn risk: 100 × days since the last order / 365, less 5 points per order in the last 365 days (at most 20), within 0–100.</summary>
    public static Prediction Churn(FeatureTable table, FeatureRow row)
    {
        var (days, orders) = (Value(table, row, "daysSinceLastOrder"), Value(table, row, "ordersLast365"));
        var recency = Math.Round(100 * days / 365, MidpointRounding.AwayFromZero);
        var frequency = -5 * Math.Min(4, orders);
        return Of(recency + frequency, new Factor("daysSinceLastOrder", days, recency), new Factor("ordersLast365", orders, frequency));
    }

    private static double Value(FeatureTable table, FeatureRow row, string name)
    {
        var index = table.Names.ToList().IndexOf(name);
        return index < 0 ? 0 : row.Values[index];
    }

    private static Prediction Of(double points, params Factor[] factors) =>
        new((int)Math.Clamp(points, 0, 100), [.. factors.Where(f => f.Contribution != 0).OrderByDescending(f => Math.Abs(f.Contribution))]);
}
