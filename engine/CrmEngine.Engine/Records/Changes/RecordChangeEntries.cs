using System.Text.Json;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Records.Changes;

/// <summary>
/// What a caller is told about a changed record, for the changes feed and subscriptions alike: the
/// record as it is now if the caller reads it (an upsert, or a deletion tombstone), a left-scope
/// tombstone if the changes reassigned it away from an owner the caller reached, nothing otherwise.
/// </summary>
public static class RecordChangeEntries
{
    /// <param name="permissions">The caller's access, now.</param>
    /// <param name="record">The record as stored now, read for the caller (hidden fields read as null).</param>
    /// <param name="changes">The record's changes being reported, oldest first: when, and the outbox's JSON of changed fields.</param>
    /// <param name="shared">Whether the record is shared with the caller (<see cref="Sharing.RecordReach.SharedAsync"/>), for a record its own columns keep out of reach.</param>
    public static RecordChangeEntry? For(Permissions permissions, RecordData record, IReadOnlyList<(DateTime At, string Changes)> changes, bool shared = false)
    {
        var scope = permissions.Scope(record.Entity.Name, RecordAction.Read);
        if (scope != AccessScope.None && (shared || Sharing.RecordReach.Covers(permissions, scope, record)))
        {
            return record.DeletedAt is { } deletedAt
                ? new RecordChangeEntry(RecordChangeKind.Delete, record.Id, deletedAt, null)
                : new RecordChangeEntry(RecordChangeKind.Upsert, record.Id, changes.Count == 0 ? record.UpdatedAt : changes[^1].At, record);
        }

        // Reassigned away in these changes from an owner the caller reached: the caller held it, so drop it.
        foreach (var (at, json) in changes)
        {
            if (PreviousOwners(json).Any(owner => permissions.Covers(scope, owner)))
            {
                return new RecordChangeEntry(RecordChangeKind.LeftScope, record.Id, at, null);
            }
        }

        return null;
    }

    /// <summary>The owner a change reassigned the record from, if it did.</summary>
    private static List<Guid?> PreviousOwners(string changes)
    {
        using var json = JsonDocument.Parse(changes);
        var owners = new List<Guid?>();
        foreach (var change in json.RootElement.EnumerateArray())
        {
            if (change.TryGetProperty("field", out var field) && field.ValueEquals(SystemFields.OwnerId) && change.TryGetProperty("old", out var old))
            {
                owners.Add(old.ValueKind == JsonValueKind.String && old.TryGetGuid(out var id) ? id : null);
            }
        }

        return owners;
    }
}
