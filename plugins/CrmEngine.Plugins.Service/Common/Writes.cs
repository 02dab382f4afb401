using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Common;

/// <summary>Turns refused writes into the refusal of the operation that made them, so nothing is half-written.</summary>
internal static class Writes
{
    /// <summary>The written record; a refusal becomes an OperationException with the write's code (the mutation rolls back).</summary>
    public static Task<CrmRecord> RequireAsync(Task<WriteOutcome> write, string? field = null) => write.RequireAsync(field);

    /// <summary>
    /// The record an operation argument names, read as the caller: one they can't see is answered
    /// exactly as one that doesn't exist.
    /// </summary>
    public static async Task<CrmRecord> ExistingAsync(IOperationContext context, string entity, string argument, CancellationToken cancellationToken)
    {
        var id = context.RecordId(argument, entity);
        return await context.Records.GetAsync(entity, id, cancellationToken)
            ?? throw new OperationException(ServiceErrors.NotFound, $"There is no {entity} with id {id}.", argument);
    }
}

/// <summary>Small conveniences over the SDK's lists.</summary>
internal static class ListExtensions
{
    /// <summary>The first item, or null for an empty list.</summary>
    public static T? FirstOrNull<T>(this IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;
}
