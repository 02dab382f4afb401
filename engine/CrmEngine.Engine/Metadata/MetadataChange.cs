using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// A planned metadata change: the next entities (and plugins, when they change), a summary for the
/// change log, and data work to run in the same transaction as the DDL.
/// </summary>
public sealed record MetadataChange(IEnumerable<EntityDefinition> Entities, string Summary)
{
    /// <summary>The next enabled plugins; null leaves them as they are.</summary>
    public IEnumerable<EnabledPlugin>? Plugins { get; init; }

    /// <summary>Runs on the old model before the DDL (checks, and clearing columns about to change type).</summary>
    public Func<TenantDbContext, Task>? Before { get; init; }

    /// <summary>Runs on the new model after the DDL (writing converted values, backfills).</summary>
    public Func<TenantDbContext, Task>? After { get; init; }
}
