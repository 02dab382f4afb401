using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>Turns refused writes into the refusal of the operation that made them, so nothing is half-written.</summary>
internal static class Writes
{
    /// <summary>The written record; a refusal becomes an OperationException with the engine's code (the mutation rolls back).</summary>
    public static Task<CrmRecord> RequireAsync(Task<WriteOutcome> write, string? field = null) => write.RequireAsync(field);

    /// <summary>
    /// The record an operation's argument names, as the caller may read it; an id the caller can't see
    /// answers exactly as a made-up one (NOT_FOUND, same message).
    /// </summary>
    public static async Task<CrmRecord> ExistingAsync(IOperationContext context, string entity, string argument, CancellationToken cancellationToken)
    {
        var id = context.RecordId(argument, entity);
        return await context.Records.GetAsync(entity, id, cancellationToken)
            ?? throw new OperationException(PartnerErrors.NotFound, $"There is no {entity} with id {id}.", argument);
    }
}
