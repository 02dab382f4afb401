using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// Computes one formula field for every record of its entity: its backfill when the field is added
/// (after the new metadata is published, so writes meanwhile compute it themselves and none is missed).
/// </summary>
public static class FormulaRecompute
{
    public const int BatchSize = 500;

    public static async Task<MetadataSnapshot> RecomputeAsync(TenantStore store, string entityName, string fieldName, CancellationToken cancellationToken)
    {
        var metadata = store.Metadata;
        FormulaDefinitions.Compiled[] formula = [FormulaDefinitions.Find(metadata, entityName, fieldName)];
        await RecordBatches.ForEachAsync(store, entityName, BatchSize, async (context, ids) =>
        {
            var results = await FormulaValues.OfStoredAsync(context, formula, RecordColumns.Id, typeof(Guid), [.. ids.Cast<object>()], cancellationToken);
            await FormulaValues.StoreAsync(context, formula, results, cancellationToken);
        }, cancellationToken);
        return metadata;
    }
}
