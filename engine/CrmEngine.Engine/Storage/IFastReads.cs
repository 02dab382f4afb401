namespace CrmEngine.Engine.Storage;

/// <summary>
/// A provider's shortcut for the hottest read, one live record by id, below EF's query pipeline.
/// Optional: without one the engine uses an EF compiled query. Implementations run on the
/// context's connection and transaction (so reads inside a write see the write) and return rows
/// exactly as EF would materialize them: every column of the model, typed as its CLR type.
/// </summary>
public interface IFastReads
{
    Task<Dictionary<string, object>?> LiveByIdAsync(TenantDbContext context, string entity, Guid id, CancellationToken cancellationToken);
}
