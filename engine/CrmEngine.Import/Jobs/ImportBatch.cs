using CrmEngine.Engine.Errors;
using CrmEngine.Import.Files;

namespace CrmEngine.Import.Jobs;

/// <summary>A row on its way through a batch: the file's row, the values read from its cells, and its errors so far.</summary>
internal sealed class PendingRow(ImportRow row)
{
    public ImportRow Row { get; } = row;

    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

    public List<CrmError> Errors { get; } = [];

    /// <summary>The record an upsert updates; null for a create.</summary>
    public Guid? Existing { get; set; }
}

/// <summary>What a batch did: rows written as creates and updates, and the rows refused with their errors.</summary>
internal sealed class BatchOutcome
{
    public int Created { get; set; }

    public int Updated { get; set; }

    public List<PendingRow> Refused { get; } = [];
}
