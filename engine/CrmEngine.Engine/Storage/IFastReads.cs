namespace CrmEngine.Engine.Storage;

/// <summary>
/// A provider's shortcuts for the hottest reads, below EF's query pipeline. Optional: without one
/// the engine runs everything through EF. Implementations run on the context's connection and
/// transaction (so reads inside a write see the write) and return values exactly as EF would
/// materialize them, typed as their CLR types.
/// </summary>
public interface IFastReads
{
    /// <summary>One live record by id: every column of the model.</summary>
    Task<Dictionary<string, object>?> LiveByIdAsync(TenantDbContext context, string entity, Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// A query projected to rows of column values (<paramref name="columnTypes"/>, in order), as EF
    /// would return them; null when the provider leaves this query to EF.
    /// </summary>
    Task<List<object?[]>?> TryReadRowsAsync(TenantDbContext context, IQueryable<object?[]> query, IReadOnlyList<Type> columnTypes, CancellationToken cancellationToken);
}
