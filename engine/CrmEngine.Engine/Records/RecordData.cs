using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records;

/// <summary>
/// A record as read from its table: the storage row (keyed by column) with typed accessors that
/// turn columns back into API values (money, multi-picklists, UTC instants).
/// </summary>
/// <remarks>
/// Read for a caller (a <paramref name="viewer"/>), fields the caller may not read read as null, so
/// every consumer (the API, plugins) sees exactly what the caller is allowed to.
/// </remarks>
public sealed class RecordData(EntityDefinition entity, IReadOnlyDictionary<string, object?> row, Identity.Permissions? viewer = null)
{
    public EntityDefinition Entity { get; } = entity;

    public IReadOnlyDictionary<string, object?> Row { get; } = row;

    public Guid Id => (Guid)Row[RecordColumns.Id]!;

    public long Version => (long)Row[RecordColumns.Version]!;

    public DateTime CreatedAt => Utc(Row[RecordColumns.CreatedAt])!.Value;

    public DateTime UpdatedAt => Utc(Row[RecordColumns.UpdatedAt])!.Value;

    public Guid? CreatedBy => Row.GetValueOrDefault(RecordColumns.CreatedBy) as Guid?;

    public Guid? UpdatedBy => Row.GetValueOrDefault(RecordColumns.UpdatedBy) as Guid?;

    public Guid? OwnerId => Row.GetValueOrDefault(RecordColumns.OwnerId) as Guid?;

    public DateTime? DeletedAt => Utc(Row.GetValueOrDefault(RecordColumns.DeletedAt));

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>The API value of a field (removed fields read too, for audit and conversions).</summary>
    public object? Get(string fieldName)
    {
        var field = Entity.FindAnyField(fieldName);
        return field is null ? null : Get(field);
    }

    public object? Get(FieldDefinition field) =>
        viewer is not null && !viewer.CanRead(Entity.Name, field.Name) ? null : field.Of().Read(field, Row);

    /// <summary>Whether the caller this record was read for may see the field.</summary>
    public bool IsVisible(string fieldName) => viewer is null || viewer.CanRead(Entity.Name, fieldName);

    private static DateTime? Utc(object? value) => value is DateTime dt ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : null;
}
