using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Common;

/// <summary>Turns refused writes into the refusal of the operation that made them, so nothing is half-written.</summary>
internal static class Writes
{
    /// <summary>The written record; a refusal becomes an OperationException with the write's code (the mutation rolls back).</summary>
    public static Task<CrmRecord> RequireAsync(Task<WriteOutcome> write, string? field = null) => write.RequireAsync(field);

    /// <summary>
    /// A record an argument names, as the caller may read it: one they can't see is answered exactly
    /// as one that doesn't exist.
    /// </summary>
    public static async Task<CrmRecord> ExistingAsync(IRecordApi records, string entity, Guid id, string argument, CancellationToken cancellationToken) =>
        await records.GetAsync(entity, id, cancellationToken)
            ?? throw new OperationException(MarketingErrors.NotFound, $"There is no {entity} with id {id}.", argument);
}
