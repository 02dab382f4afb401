using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>The outcome of a write: the record as stored, or the errors that stopped it (nothing written).</summary>
public sealed record WriteResult(RecordData? Record, IReadOnlyList<CrmError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The duplicate rules the write matched: warnings when it succeeded, the blocking rule when refused for it.</summary>
    public IReadOnlyList<DuplicateMatch> Duplicates { get; init; } = [];

    /// <summary>This result with the duplicates <paramref name="change"/> matched (itself when none).</summary>
    internal WriteResult With(RecordChange change) => change.Duplicates.Count == 0 ? this : this with { Duplicates = change.Duplicates };

    public static WriteResult Ok(RecordData record) => new(record, []);

    public static WriteResult Fail(IReadOnlyList<CrmError> errors) => new(null, errors);

    public static WriteResult Fail(CrmError error) => new(null, [error]);
}
