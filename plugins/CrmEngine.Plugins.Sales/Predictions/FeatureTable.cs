namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>One record's features (named by <see cref="FeatureTable.Names"/>) and, for a training example, its outcome.</summary>
internal sealed record FeatureRow(Guid Id, float[] Values, bool? Label);

/// <summary>
/// The examples a model learns from (rows with a label) and the records it scores (rows without), over
/// the same named features. Built from one tenant's records by <see cref="LeadFeatures"/> or
/// <see cref="ChurnFeatures"/>; never mixed across tenants.
/// </summary>
internal sealed class FeatureTable(IReadOnlyList<string> names, IReadOnlyList<FeatureRow> examples, IReadOnlyList<FeatureRow> toScore)
{
    public IReadOnlyList<string> Names { get; } = names;

    public IReadOnlyList<FeatureRow> Examples { get; } = examples;

    public IReadOnlyList<FeatureRow> ToScore { get; } = toScore;

    public int Positives => Examples.Count(e => e.Label == true);

    public int Negatives => Examples.Count(e => e.Label == false);
}

/// <summary>Collects features by name as a record is read, so one-hot columns appear as values are met.</summary>
internal sealed class FeatureVocabulary
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _index = [];

    public IReadOnlyList<string> Names => _names;

    public Dictionary<int, float> Row() => [];

    public void Set(Dictionary<int, float> row, string name, float value) => row[IndexOf(name)] = value;

    /// <summary>A picklist value as a one-hot column "field=value"; an empty value sets none.</summary>
    public void OneHot(Dictionary<int, float> row, string field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Set(row, $"{field}={value}", 1f);
        }
    }

    /// <summary>The dense vector of a row once every record was read (columns it never set are 0).</summary>
    public float[] Dense(Dictionary<int, float> row)
    {
        var values = new float[_names.Count];
        foreach (var (index, value) in row)
        {
            values[index] = value;
        }

        return values;
    }

    private int IndexOf(string name)
    {
        if (!_index.TryGetValue(name, out var index))
        {
            index = _names.Count;
            _names.Add(name);
            _index[name] = index;
        }

        return index;
    }
}
