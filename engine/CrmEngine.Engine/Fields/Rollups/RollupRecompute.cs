using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields.Rollups;

/// <summary>
/// Recomputes one rollup field for every record of its entity, from the children alone: after the
/// field is added (its backfill), and on demand (the <c>recomputeRollups</c> mutation), which puts
/// right a value changed behind the engine's back. Parents go in batches, each in a transaction of its
/// own, locked one by one as child writes lock them, so writes may go on meanwhile.
/// </summary>
public static class RollupRecompute
{
    public const int BatchSize = 200;

    /// <summary>Recomputes <paramref name="entityName"/>.<paramref name="fieldName"/>; the metadata it ran with.</summary>
    public static async Task<MetadataSnapshot> RecomputeAsync(TenantStore store, string entityName, string fieldName, CancellationToken cancellationToken)
    {
        var metadata = store.Metadata;
        var parent = metadata.Get(entityName);
        var field = parent.FindField(fieldName)
            ?? throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entityName}' has no field '{fieldName}'.", "field");
        if (field.Type != FieldType.Rollup)
        {
            throw new CrmException(ErrorCodes.InvalidInput, $"'{entityName}.{fieldName}' is a {field.Type} field, not a rollup.", "field");
        }

        await RecordBatches.ForEachAsync(store, parent.Name, BatchSize,
            (context, ids) => RollupCalculator.RecomputeAsync(context, metadata, parent, [field], ids, cancellationToken), cancellationToken);
        return metadata;
    }
}
