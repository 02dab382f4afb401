namespace CrmEngine.Files.Storage;

/// <summary>
/// One stored file's metadata (crm_file): its content is in the file storage under its id. A file is
/// uploaded <see cref="FileStates.Pending"/> (its uploader's alone) until a record's attachment field
/// takes it; it is then <see cref="FileStates.Attached"/> to that record, and follows it.
/// </summary>
public sealed class FileRow
{
    public Guid Id { get; set; }

    public string TenantId { get; set; } = string.Empty;

    /// <summary>The record it belongs to (entity, id, field); null while pending.</summary>
    public string? Entity { get; set; }

    public Guid? RecordId { get; set; }

    public string? Field { get; set; }

    /// <summary>The name the client gave it (a display name only: storage never uses it).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The type sniffed from its bytes.</summary>
    public string ContentType { get; set; } = string.Empty;

    public long Size { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string Sha256 { get; set; } = string.Empty;

    public string State { get; set; } = FileStates.Pending;

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Set while the file is deleted (with its record, or taken off its field).</summary>
    public DateTime? DeletedAt { get; set; }
}

/// <summary>The states of a file.</summary>
public static class FileStates
{
    /// <summary>Uploaded, not yet on a record: only its uploader sees it.</summary>
    public const string Pending = "pending";

    /// <summary>On a record's attachment field.</summary>
    public const string Attached = "attached";

    /// <summary>Its record was deleted; a restore of the record brings it back.</summary>
    public const string DeletedWithRecord = "deleted_with_record";

    /// <summary>Taken off its field by an update; kept deleted (its content is removed when purged).</summary>
    public const string Detached = "detached";
}
