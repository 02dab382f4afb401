namespace CrmEngine.Sdk.Records;

/// <summary>A typed refusal: a stable code, a message and, when it is about one field, the field.</summary>
/// <param name="Code">A stable machine code such as REQUIRED or UNIQUE_VIOLATION.</param>
/// <param name="Message">What went wrong, for people.</param>
/// <param name="Field">The field concerned, if any.</param>
public sealed record SdkError(string Code, string Message, string? Field = null);

/// <summary>The result of a write through <see cref="IRecordApi"/>: the record as stored, or why nothing was written.</summary>
/// <param name="Record">The record after the write; null when refused.</param>
/// <param name="Errors">Why the write was refused; empty on success.</param>
public sealed record WriteOutcome(CrmRecord? Record, IReadOnlyList<SdkError> Errors)
{
    /// <summary>True when the write happened.</summary>
    public bool Succeeded => Errors.Count == 0;
}
