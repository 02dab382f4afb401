using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;

namespace CrmEngine.Engine.Records.Changes;

/// <summary>
/// Where a client is in an entity's changes feed, signed by the <see cref="CursorCodec"/> under a
/// scope naming the tenant and the entity (a cursor of another tenant or entity, or one tampered
/// with, is refused as INVALID_CURSOR).
/// </summary>
/// <param name="Snapshot">True while the first sync lists the current records (<paramref name="After"/> is the list's cursor).</param>
/// <param name="Xid">With <paramref name="Seq"/>, the journal position handed out up to (during the snapshot: where the journal resumes after it).</param>
/// <param name="Seq">The outbox sequence at that position.</param>
/// <param name="Since">When the changes after the position began to be owed to this client: older than the retention, the cursor has expired.</param>
/// <param name="Rights">The fingerprint of the caller's read access when the cursor was issued (<see cref="Fingerprint"/>).</param>
/// <param name="After">The snapshot list's cursor, null before its first page.</param>
internal sealed record ChangesCursor(bool Snapshot, long Xid, long Seq, DateTime Since, string Rights, string? After)
{
    public string Encode(CursorCodec codec, string tenantId, string entity) =>
        codec.Encode(Scope(tenantId, entity), [Snapshot ? 1 : 0, Xid, Seq, Since.Ticks, Rights, After]);

    public static ChangesCursor Decode(CursorCodec codec, string cursor, string tenantId, string entity)
    {
        try
        {
            var values = codec.Decode(cursor, Scope(tenantId, entity));
            if (values.Length != 6)
            {
                throw Invalid();
            }

            return new ChangesCursor(
                values[0].GetInt32() == 1,
                values[1].GetInt64(),
                values[2].GetInt64(),
                new DateTime(values[3].GetInt64(), DateTimeKind.Utc),
                values[4].GetString() ?? throw Invalid(),
                values[5].ValueKind == JsonValueKind.Null ? null : values[5].GetString());
        }
        catch (Exception e) when (e is CrmException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            throw Invalid();
        }
    }

    /// <summary>
    /// What decides which records and fields of the entity the caller reads: the read scope, the owners
    /// a team scope covers and the hidden fields. A cursor issued under other access is stale: records
    /// it never handed out may have come into reach without any change to them.
    /// </summary>
    public static string Fingerprint(Permissions permissions, EntityDefinition entity)
    {
        var scope = permissions.Scope(entity.Name, RecordAction.Read);
        var text = new StringBuilder().Append((int)scope).Append('|');
        if (scope == AccessScope.Own)
        {
            text.Append(permissions.Principal.UserId);
        }
        else if (scope == AccessScope.Team)
        {
            text.AppendJoin(',', permissions.TeamReach.Order());
        }
        else if (scope == AccessScope.Organization)
        {
            text.Append(permissions.Principal.UserId).Append('@').Append(permissions.External?.OrganizationId);
        }

        text.Append('|').AppendJoin(',', entity.ActiveFields.Where(f => !permissions.CanRead(entity.Name, f.Name)).Select(f => f.Name).Order(StringComparer.Ordinal));
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 12));
    }

    private static string Scope(string tenantId, string entity) => $"changes/{tenantId}/{entity}";

    private static CrmException Invalid() =>
        new(ErrorCodes.InvalidCursor, "The cursor is not valid for this feed: use a cursor this entity's changes feed returned, unchanged.", "since");
}
