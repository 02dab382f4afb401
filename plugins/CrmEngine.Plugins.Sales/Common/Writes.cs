using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Common;

/// <summary>Turns refused writes into the refusal of the operation or write that made them, so nothing is half-written.</summary>
internal static class Writes
{
    /// <summary>The written record; a refusal becomes an OperationException with the engine's code (the mutation rolls back).</summary>
    public static Task<CrmRecord> RequireAsync(Task<WriteOutcome> write, string? field = null) => write.RequireAsync(field);

    /// <summary>In a hook: the written record, or null after rejecting the hook's own write with the refusal's message.</summary>
    public static async Task<CrmRecord?> OrRejectAsync(IRecordContext record, Task<WriteOutcome> write)
    {
        var outcome = await write;
        if (outcome.Succeeded)
        {
            return outcome.Record;
        }

        record.Reject(outcome.Errors[0].Message, outcome.Errors[0].Field);
        return null;
    }

    /// <summary>A record that must exist, read for an operation argument.</summary>
    public static async Task<CrmRecord> ExistingAsync(IRecordApi records, string entity, Guid id, string argument, CancellationToken cancellationToken) =>
        await records.GetAsync(entity, id, cancellationToken)
            ?? throw Visibility.NotFound(entity, id, argument);
}

/// <summary>Small conveniences over the SDK's lists.</summary>
internal static class ListExtensions
{
    /// <summary>The first item, or null for an empty list.</summary>
    public static T? FirstOrNull<T>(this IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;
}
