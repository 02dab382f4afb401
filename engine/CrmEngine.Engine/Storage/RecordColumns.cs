namespace CrmEngine.Engine.Storage;

/// <summary>The system columns of every entity table (also the EF property names of a record).</summary>
public static class RecordColumns
{
    public const string Id = "id";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";
    public const string CreatedBy = "created_by";
    public const string UpdatedBy = "updated_by";
    public const string OwnerId = "owner_id";
    public const string Version = "version";
    public const string DeletedAt = "deleted_at";

    /// <summary>The SQL of the filter that keeps soft-deleted rows out of unique indexes (quoted for every provider).</summary>
    public const string NotDeletedFilterSql = "\"deleted_at\" IS NULL";
}
