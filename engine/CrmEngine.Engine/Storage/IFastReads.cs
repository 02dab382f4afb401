namespace CrmEngine.Engine.Storage;

/// <summary>
/// The hottest reads, which every provider answers in its fastest way (<see cref="EfFastReads"/>:
/// EF's compiled queries and EF itself; SQLite reads below EF's query pipeline). Implementations
/// run on the context they are given, with its connection and transaction (so reads inside a
/// write see the write), and return values exactly as EF would materialize them, typed as their
/// CLR types.
/// </summary>
public interface IFastReads
{
    /// <summary>One live (not deleted) record by id, every column of the model; null when there is none.</summary>
    Task<Dictionary<string, object>?> LiveByIdAsync(TenantDbContext context, string entity, Guid id, CancellationToken cancellationToken);

    /// <summary>The rows of a query projected to column values (<paramref name="columnTypes"/>, in order), as EF returns them.</summary>
    Task<List<object?[]>> ReadRowsAsync(TenantDbContext context, IQueryable<object?[]> query, IReadOnlyList<Type> columnTypes, CancellationToken cancellationToken);
}
