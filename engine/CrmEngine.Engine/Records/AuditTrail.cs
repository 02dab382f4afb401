using System.Text.Json;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records;

/// <summary>One write to a record as the audit trail keeps it, and the operation it was part of (<c>merge:&lt;id&gt;</c>, <c>undo-merge:&lt;id&gt;</c>) if any.</summary>
public sealed record AuditEntry(Guid Id, string Entity, Guid RecordId, string Operation, long Version, DateTime At, Guid? Actor, IReadOnlyList<AuditedChange> Changes, string? Cause = null);

/// <summary>A field's value before and after, as JSON (the field's API form).</summary>
public sealed record AuditedChange(string Field, JsonElement? Old, JsonElement? New);

/// <summary>
/// Reads the audit trail, newest first, of records the caller may read (deleted ones included),
/// without the changes of fields the caller may not read.
/// </summary>
public sealed class AuditTrail(Querying.RecordReader reader)
{
    public async Task<IReadOnlyList<AuditEntry>> ForRecordAsync(CrmSession session, string entity, Guid recordId, int first, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(session, entity, recordId, includeDeleted: true, cancellationToken) is null)
        {
            return [];
        }

        await using var context = session.CreateContext();
        var rows = await context.Set<AuditRow>()
            .Where(a => a.Entity == entity && a.RecordId == recordId)
            .OrderByDescending(a => a.Version)
            .Take(Math.Clamp(first, 1, 1000))
            .ToListAsync(cancellationToken);
        var permissions = session.Permissions;
        return rows.Select(Map).Select(e => e with { Changes = e.Changes.Where(c => !IsField(session, entity, c.Field) || permissions.CanRead(entity, c.Field)).ToList() }).ToList();
    }

    private static bool IsField(CrmSession session, string entity, string name) => session.Metadata.FindAny(entity)?.FindAnyField(name) is not null;

    private static AuditEntry Map(AuditRow row)
    {
        var changes = JsonSerializer.Deserialize<List<JsonElement>>(row.Changes) ?? [];
        return new AuditEntry(row.Id, row.Entity, row.RecordId, row.Operation, row.Version, DateTime.SpecifyKind(row.At, DateTimeKind.Utc), row.Actor,
            changes.Select(c => new AuditedChange(
                c.GetProperty("field").GetString()!,
                c.TryGetProperty("old", out var old) && old.ValueKind != JsonValueKind.Null ? old : null,
                c.TryGetProperty("new", out var @new) && @new.ValueKind != JsonValueKind.Null ? @new : null)).ToList(), row.Cause);
    }
}
