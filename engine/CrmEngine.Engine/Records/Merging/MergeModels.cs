using System.Text.Json;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Merging;

/// <summary>A record of the merge and the version the caller read (checked like an update's; null: not checked).</summary>
public sealed record MergeTarget(Guid Id, long? Version = null);

/// <summary>
/// Where the master's value of one field comes from: the record <see cref="From"/> (the master or one
/// of the duplicates), or <see cref="Value"/> as given (engine form, as a write's input) when
/// <see cref="From"/> is null. <see cref="Field"/> is a field's name, or <c>ownerId</c>.
/// </summary>
public sealed record MergeFieldChoice(string Field, Guid? From, object? Value = null);

/// <summary>What a merge is asked to do: the master, its duplicates and the field choices.</summary>
public sealed record MergeRequest(string Entity, MergeTarget Master, IReadOnlyList<MergeTarget> Duplicates, IReadOnlyList<MergeFieldChoice> Fields);

/// <summary>A merge done (its id, the master as the caller sees it now, until when it may be undone) or refused (errors; nothing written).</summary>
public sealed record MergeOutcome(Guid? MergeId, RecordData? Master, DateTime? UndoUntil, IReadOnlyList<CrmError> Errors)
{
    public static MergeOutcome Fail(IReadOnlyList<CrmError> errors) => new(null, null, null, errors);
}

/// <summary>A record an undo left as it found it, because it changed after the merge: its field now holds something else, or it is gone.</summary>
public sealed record MergeConflict(string Entity, Guid RecordId, string Field, string Reason);

/// <summary>An undone merge (the master, the duplicates restored, what was left alone) or a refused undo (errors; nothing written).</summary>
public sealed record UndoMergeOutcome(RecordData? Master, IReadOnlyList<RecordData> Restored, IReadOnlyList<MergeConflict> Conflicts, IReadOnlyList<CrmError> Errors)
{
    public static UndoMergeOutcome Fail(IReadOnlyList<CrmError> errors) => new(null, [], [], errors);
}

/// <summary>A lookup the merge moved from a duplicate to the master.</summary>
public sealed record Relink(string Entity, Guid RecordId, string Field, Guid From);

/// <summary>
/// What a merge changed, kept with it for its undo: the duplicates, the master's values of the
/// fields it changed before (<see cref="Previous"/>) and after (<see cref="Taken"/>), as their audit
/// JSON, and every lookup it moved.
/// </summary>
public sealed record MergePlan(IReadOnlyList<Guid> Duplicates, IReadOnlyDictionary<string, JsonElement> Previous, IReadOnlyDictionary<string, JsonElement> Taken, IReadOnlyList<Relink> Relinked)
{
    // The audit trail's options: values read back compare equal to those kept (MergeWork.Same compares their text).
    public string Serialize() => JsonSerializer.Serialize(this, Pipeline.ChangeLog.Json);

    public static MergePlan Read(string json) => JsonSerializer.Deserialize<MergePlan>(json, Pipeline.ChangeLog.Json)!;
}
