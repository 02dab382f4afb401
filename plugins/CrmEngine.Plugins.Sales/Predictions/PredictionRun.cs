using System.Text.Json;
using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Leads;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>
/// One training run on one tenant: reads the tenant's own history (through its record API, so no other
/// tenant's rows are ever seen), trains each score's model in memory, records its metrics on the
/// tenant's predictionModel record and writes the scores and factors of the open records. With fewer
/// than <see cref="MinimumPerOutcome"/> examples of either outcome, or a cross-validated AUC below
/// <see cref="FairAuc"/>, the documented rule score is written instead and the model record says why.
/// </summary>
internal static class PredictionRun
{
    public const int MinimumPerOutcome = 50;

    public const double GoodAuc = 0.75;

    public const double FairAuc = 0.65;

    /// <summary>A score's target: the model kind, the entity and fields it writes, the outcomes' words and its rule.</summary>
    private sealed record Target(string Kind, string Entity, string ScoreField, string FactorsField, string Positive, string Negative, Func<FeatureTable, FeatureRow, Prediction> Rule);

    private static readonly Target Lead = new(PredictionModelEntity.LeadConversion, LeadEntity.Name, "conversionScore", "scoreFactors", "converted", "unqualified", RuleScores.Lead);

    private static readonly Target Churn = new(PredictionModelEntity.AccountChurn, AccountEntity.Name, "churnRisk", "churnFactors", "churned", "retained", RuleScores.Churn);

    public static async Task RunAsync(IRecordApi records, DateTime at, DateOnly today, CancellationToken cancellationToken)
    {
        await ApplyAsync(records, Lead, await LeadFeatures.ReadAsync(records, at, cancellationToken), at, cancellationToken);
        await ApplyAsync(records, Churn, await ChurnFeatures.ReadAsync(records, today, cancellationToken), at, cancellationToken);
    }

    private static async Task ApplyAsync(IRecordApi records, Target target, FeatureTable table, DateTime at, CancellationToken cancellationToken)
    {
        var (positives, negatives) = (table.Positives, table.Negatives);
        var model = new FieldValues
        {
            ["kind"] = target.Kind,
            ["trainingRows"] = (long)table.Examples.Count,
            ["positives"] = (long)positives,
            ["negatives"] = (long)negatives,
            ["trainedAt"] = at,
        };
        IReadOnlyDictionary<Guid, Prediction>? predictions = null;
        if (positives < MinimumPerOutcome || negatives < MinimumPerOutcome)
        {
            model["algorithm"] = "rules";
            (model["auc"], model["logLoss"], model["quality"]) = ((object?)null, (object?)null, "insufficient");
            model["message"] = $"Too little history: {positives} {target.Positive} and {negatives} {target.Negative} examples; a model needs at least {MinimumPerOutcome} of each. The rule score is used.";
        }
        else
        {
            var trained = ScoreTrainer.Train(table);
            var quality = trained.Auc >= GoodAuc ? "good" : trained.Auc >= FairAuc ? "fair" : "low";
            model["algorithm"] = ScoreTrainer.Algorithm;
            (model["auc"], model["logLoss"], model["quality"]) = (Round(trained.Auc), Round(trained.LogLoss), quality);
            model["message"] = quality == "low"
                ? $"The model's cross-validated AUC {trained.Auc:0.000} is below {FairAuc:0.00}: the history shows no usable signal. The rule score is used."
                : $"Trained on {trained.TrainingRows} examples; cross-validated AUC {trained.Auc:0.000}.";
            predictions = quality == "low" ? null : trained.Scores;
        }

        model["usingRuleFallback"] = predictions is null;
        await WriteScoresAsync(records, target, table.ToScore.ToDictionary(r => r.Id, r => predictions?[r.Id] ?? target.Rule(table, r)), cancellationToken);
        await SaveModelAsync(records, target.Kind, model, cancellationToken);
    }

    /// <summary>Writes only what changed, so a nightly run over unchanged records leaves no trace in their history.</summary>
    private static async Task WriteScoresAsync(IRecordApi records, Target target, Dictionary<Guid, Prediction> scores, CancellationToken cancellationToken)
    {
        var current = new Dictionary<Guid, (long?, string?)>();
        await foreach (var record in records.QueryAllAsync(target.Entity, Condition.IsNotNull(target.ScoreField), cancellationToken: cancellationToken))
        {
            current[record.Id] = (record.GetValue<long?>(target.ScoreField), record.GetValue<string>(target.FactorsField));
        }

        foreach (var (id, prediction) in scores)
        {
            var factors = Factors(prediction);
            if (current.GetValueOrDefault(id) != (prediction.Score, factors))
            {
                await records.UpdateAsync(target.Entity, id, new FieldValues { [target.ScoreField] = (long)prediction.Score, [target.FactorsField] = factors }, cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>The top factors as JSON: [{"feature":"source=referral","value":1,"direction":"up","contribution":1.234}, …].</summary>
    public static string Factors(Prediction prediction) => JsonSerializer.Serialize(prediction.Factors.Select(f => new
    {
        feature = f.Feature,
        value = Math.Round(f.Value, 2),
        direction = f.Contribution > 0 ? "up" : "down",
        contribution = Math.Round(f.Contribution, 3),
    }));

    private static async Task SaveModelAsync(IRecordApi records, string kind, FieldValues values, CancellationToken cancellationToken)
    {
        var found = await records.FindAsync(PredictionModelEntity.Name, Condition.Eq("kind", kind), 1, cancellationToken);
        var existing = found.Count > 0 ? found[0] : null;
        var outcome = existing is null
            ? await records.CreateAsync(PredictionModelEntity.Name, values, cancellationToken)
            : await records.UpdateAsync(PredictionModelEntity.Name, existing.Id, values, cancellationToken: cancellationToken);
        outcome.Require();
    }

    private static decimal Round(double value) => Math.Round((decimal)value, 4);
}
