using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>The outcome of a write: the record as stored, or the errors that stopped it (nothing written).</summary>
public sealed record WriteResult(RecordData? Record, IReadOnlyList<CrmError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static WriteResult Ok(RecordData record) => new(record, []);

    public static WriteResult Fail(IReadOnlyList<CrmError> errors) => new(null, errors);

    public static WriteResult Fail(CrmError error) => new(null, [error]);
}
