using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Operations;

/// <summary>
/// Turns a refused write into the refusal of the operation, hook or job that made it, so nothing is
/// half-written: the <see cref="OperationException"/> rolls the whole mutation back and reaches the
/// client as a typed error with the write's code.
/// </summary>
public static class WriteOutcomeExtensions
{
    /// <summary>The record written; a refusal throws <see cref="OperationException"/> with the first error's code and message.</summary>
    /// <param name="outcome">The write's outcome.</param>
    /// <param name="field">The argument or field to name in the error instead of the write's own field (for example the operation argument the value came from).</param>
    public static CrmRecord Require(this WriteOutcome outcome, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Succeeded)
        {
            return outcome.Record!;
        }

        var error = outcome.Errors[0];
        throw new OperationException(error.Code, error.Message, field ?? error.Field);
    }

    /// <summary>Awaits a write and returns the record written; a refusal throws as <see cref="Require(WriteOutcome, string?)"/> does.</summary>
    /// <param name="write">The pending write, for example <c>context.Records.CreateAsync(...)</c>.</param>
    /// <param name="field">The argument or field to name in the error instead of the write's own field.</param>
    public static async Task<CrmRecord> RequireAsync(this Task<WriteOutcome> write, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        return (await write.ConfigureAwait(false)).Require(field);
    }
}
