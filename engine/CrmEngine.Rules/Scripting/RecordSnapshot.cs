using System.Text.Json;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;

namespace CrmEngine.Rules.Scripting;

/// <summary>How a run answers <c>changed(field)</c>.</summary>
internal enum ChangeTracking
{
    /// <summary>Compare the record as the script sees it now with <c>previous</c> (before-rules, dry runs of them).</summary>
    Live,

    /// <summary>The fields the committed write changed (after-rules).</summary>
    Fixed,

    /// <summary>Nothing is being written (scheduled and manual runs): always false.</summary>
    None,
}

/// <summary>
/// The record a run works on, in API values by field name (system fields included), with what it
/// was before the triggering write and which fields that write changed.
/// </summary>
internal sealed record RecordSnapshot(
    Guid Id,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, object?>? Previous,
    ChangeTracking Tracking,
    IReadOnlySet<string> ChangedFields)
{
    private static readonly IReadOnlySet<string> NoFields = new HashSet<string>();

    /// <summary>A stored record, with no write going on.</summary>
    public static RecordSnapshot Stored(RecordData record) => new(record.Id, ValuesOf(record), null, ChangeTracking.None, NoFields);

    /// <summary>A write in the before stage: the values being written over the previous record.</summary>
    public static RecordSnapshot Writing(RecordChange change)
    {
        var values = change.Previous is { } previous ? ValuesOf(previous) : SystemValuesForNew(change);
        foreach (var field in change.Entity.ActiveFields)
        {
            values[field.Name] = change.Get(field.Name);
        }

        if (change.Values.TryGetValue(SystemFields.OwnerId, out var owner))
        {
            values[SystemFields.OwnerId] = owner;
        }

        return new(change.RecordId, values, change.Previous is { } p ? ValuesOf(p) : null, ChangeTracking.Live, NoFields);
    }

    /// <summary>
    /// A committed change in the after stage: the record as that change left it (the stored record
    /// with the changes made since undone, newest first, from <paramref name="laterChanges"/>), and
    /// before it the same record with the change's own old values put back.
    /// </summary>
    public static RecordSnapshot Committed(RecordData record, RecordOperation operation, long version, string changesJson, IReadOnlyList<string> laterChanges)
    {
        var values = ValuesOf(record);
        foreach (var later in laterChanges)
        {
            foreach (var (name, old) in Changes(record.Entity, later))
            {
                values[name] = old;
            }
        }

        values[SystemFields.Version] = version;
        var changed = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, object?>? previous = null;
        if (operation != RecordOperation.Create)
        {
            previous = new Dictionary<string, object?>(values);
            foreach (var (name, old) in Changes(record.Entity, changesJson))
            {
                changed.Add(name);
                previous[name] = old;
            }
        }
        else
        {
            changed.UnionWith(record.Entity.ActiveFields.Where(f => !f.Of().IsEmpty(values.GetValueOrDefault(f.Name))).Select(f => f.Name));
        }

        return new(record.Id, values, previous, ChangeTracking.Fixed, changed);
    }

    /// <summary>The fields an audit entry changed, with their old values in API form.</summary>
    private static IEnumerable<(string Field, object? Old)> Changes(EntityDefinition entity, string changesJson)
    {
        foreach (var change in JsonSerializer.Deserialize<List<JsonElement>>(changesJson) ?? [])
        {
            var name = change.GetProperty("field").GetString()!;
            var old = change.TryGetProperty("old", out var o) && o.ValueKind != JsonValueKind.Null ? o : (JsonElement?)null;
            yield return (name, old is { } json ? OldValue(entity, name, json) : null);
        }
    }

    /// <summary>API values of the active fields and the system fields.</summary>
    public static Dictionary<string, object?> ValuesOf(RecordData record)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [SystemFields.Id] = record.Id,
            [SystemFields.Version] = record.Version,
            [SystemFields.CreatedAt] = record.CreatedAt,
            [SystemFields.UpdatedAt] = record.UpdatedAt,
            [SystemFields.CreatedBy] = record.CreatedBy,
            [SystemFields.UpdatedBy] = record.UpdatedBy,
            [SystemFields.OwnerId] = record.OwnerId,
            [SystemFields.DeletedAt] = record.DeletedAt,
        };
        foreach (var field in record.Entity.ActiveFields)
        {
            values[field.Name] = record.Get(field);
        }

        return values;
    }

    private static Dictionary<string, object?> SystemValuesForNew(RecordChange change) => new(StringComparer.Ordinal)
    {
        [SystemFields.Id] = change.RecordId,
        [SystemFields.Version] = null,
        [SystemFields.CreatedAt] = null,
        [SystemFields.UpdatedAt] = null,
        [SystemFields.CreatedBy] = change.Session.Principal.UserId,
        [SystemFields.UpdatedBy] = change.Session.Principal.UserId,
        [SystemFields.OwnerId] = change.Session.Principal.UserId,
        [SystemFields.DeletedAt] = null,
    };

    /// <summary>An audit value back in API form; constraints are not applied, old data may predate them.</summary>
    private static object? OldValue(EntityDefinition entity, string name, JsonElement json)
    {
        if (entity.FindAnyField(name) is not { } field)
        {
            return name is SystemFields.OwnerId && json.TryGetGuid(out var owner) ? owner
                : name is SystemFields.DeletedAt && json.TryGetDateTime(out var at) ? DateTime.SpecifyKind(at, DateTimeKind.Utc)
                : null;
        }

        var normalized = field.Of().Normalize(Relaxed(field), json);
        return normalized.IsOk ? normalized.Value : null;
    }

    /// <summary>The field without the constraints that guard writes, to read and compare values.</summary>
    public static FieldDefinition Relaxed(FieldDefinition field) =>
        field with { MaxLength = null, Pattern = null, Min = null, Max = null, Options = field.Options?.Select(o => o with { Active = true }).ToList() };
}
