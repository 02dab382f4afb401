namespace CrmEngine.Engine.Records.Changes;

/// <summary>What a changes feed entry tells a client to do with its copy of a record.</summary>
public enum RecordChangeKind
{
    /// <summary>Created, changed or restored: store <see cref="RecordChangeEntry.Record"/> as it is now.</summary>
    Upsert,

    /// <summary>Deleted: drop the record.</summary>
    Delete,

    /// <summary>No longer readable by the caller (reassigned out of their scope): drop the record.</summary>
    LeftScope,
}

/// <summary>One entry of a changes page: the record as it is now for an upsert, a tombstone (id and when) otherwise.</summary>
public sealed record RecordChangeEntry(RecordChangeKind Kind, Guid Id, DateTime At, RecordData? Record);

/// <summary>A page of the changes feed: its entries in commit order, the cursor to resume after them, and whether more are waiting.</summary>
public sealed record RecordChangesPage(IReadOnlyList<RecordChangeEntry> Items, string Cursor, bool HasMore);
