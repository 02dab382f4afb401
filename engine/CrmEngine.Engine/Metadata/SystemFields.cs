namespace CrmEngine.Engine.Metadata;

/// <summary>
/// The system columns every record has. Their API names are reserved: no field may take them,
/// and no client may write them (the pipeline sets them).
/// </summary>
public static class SystemFields
{
    public const string Id = "id";
    public const string CreatedAt = "createdAt";
    public const string UpdatedAt = "updatedAt";
    public const string CreatedBy = "createdBy";
    public const string UpdatedBy = "updatedBy";
    public const string OwnerId = "ownerId";
    public const string Version = "version";
    public const string DeletedAt = "deletedAt";

    public static IReadOnlyList<string> All { get; } = [Id, CreatedAt, UpdatedAt, CreatedBy, UpdatedBy, OwnerId, Version, DeletedAt];

    /// <summary>Names that GraphQL record types use for their own members.</summary>
    public static IReadOnlySet<string> ReservedFieldNames { get; } = new HashSet<string>(All.Concat(["owner", "history", "node", "cursor", "typename", "globalId", "recordId", "mergedInto"]), StringComparer.OrdinalIgnoreCase);
}
