using Microsoft.ML;
using Microsoft.ML.Data;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>What a trained model measured and what it says about each record to score.</summary>
internal sealed record TrainedModel(double Auc, double LogLoss, int TrainingRows, IReadOnlyDictionary<Guid, Prediction> Scores);

/// <summary>A record's probability (0–100) and the features that pushed it most, strongest first.</summary>
internal sealed record Prediction(int Score, IReadOnlyList<Factor> Factors);

/// <summary>A feature, the record's value of it, and its pull on the record's score: positive raises it, negative lowers it.</summary>
internal sealed record Factor(string Feature, double Value, double Contribution);

/// <summary>
/// Trains one tenant's model with ML.NET: L-BFGS logistic regression over standardised features
/// (z = (x − mean) / standard deviation over the tenant's examples, clipped to ±4;
/// a feature that doesn't vary is 0). AUC and log-loss are the means over a 4-fold cross-validation
/// (each example scored by a model trained without it), then the model is trained on all examples to
/// score the open records. Because the features are standardised, a
/// record's contribution from a feature is weight × z: how far the feature moves its log-odds away
/// from an average record's — the top three by size are the record's factors.
/// </summary>
internal static class ScoreTrainer
{
    public const string Algorithm = "LbfgsLogisticRegression";

    public const int TopFactors = 3;

    /// <summary>The cross-validation's folds: each example is scored once by a model that didn't see it.</summary>
    public const int Folds = 4;

    /// <summary>Standardised values are clipped here, so a record far outside what the examples showed can't swamp its score.</summary>
    public const double MaxZ = 4;

    public static TrainedModel Train(FeatureTable table)
    {
        var (means, deviations) = Standardisation(table.Examples, table.Names.Count);
        float[] Z(FeatureRow row) => [.. row.Values.Select((v, i) => deviations[i] == 0 ? 0f : (float)Math.Clamp((v - means[i]) / deviations[i], -MaxZ, MaxZ))];

        var ordered = table.Examples.OrderBy(e => e.Id).ToList();
        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.Names.Count);
        IDataView Data(IEnumerable<FeatureRow> rows) => ml.Data.LoadFromEnumerable(rows.Select(r => new Example { Features = Z(r), Label = r.Label ?? false }), schema);

        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression();
        var folds = ml.BinaryClassification.CrossValidate(Data(ordered), trainer, Folds, seed: 1);
        var (auc, logLoss) = (folds.Average(f => f.Metrics.AreaUnderRocCurve), folds.Average(f => f.Metrics.LogLoss));

        var model = trainer.Fit(Data(ordered));
        var weights = model.Model.SubModel.Weights.ToArray();
        var engine = ml.Model.CreatePredictionEngine<Example, Scored>(model, inputSchemaDefinition: schema);
        var scores = new Dictionary<Guid, Prediction>();
        foreach (var row in table.ToScore)
        {
            var z = Z(row);
            var probability = engine.Predict(new Example { Features = z }).Probability;
            var factors = z.Select((value, i) => new Factor(table.Names[i], row.Values[i], weights[i] * value))
                .Where(f => f.Contribution != 0).OrderByDescending(f => Math.Abs(f.Contribution)).ThenBy(f => f.Feature, StringComparer.Ordinal)
                .Take(TopFactors).ToList();
            scores[row.Id] = new Prediction((int)Math.Round(100 * probability, MidpointRounding.AwayFromZero), factors);
        }

        return new TrainedModel(auc, logLoss, ordered.Count, scores);
    }

    private static (double[] Means, double[] Deviations) Standardisation(IReadOnlyList<FeatureRow> rows, int width)
    {
        var means = new double[width];
        var deviations = new double[width];
        for (var i = 0; i < width; i++)
        {
            var mean = rows.Average(r => (double)r.Values[i]);
            means[i] = mean;
            deviations[i] = Math.Sqrt(rows.Average(r => Math.Pow(r.Values[i] - mean, 2)));
        }

        return (means, deviations);
    }

    /// <summary>ML.NET's input row: the standardised features and the outcome.</summary>
    private sealed class Example
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>ML.NET's output row: the calibrated probability of the positive outcome.</summary>
    private sealed class Scored
    {
        public float Probability { get; set; }
    }
}
