namespace CrmEngine.Sdk.Records;

/// <summary>
/// A record as the engine returns it to plugins. Field values are API values: string, long,
/// decimal, bool, DateOnly, DateTime (UTC), <see cref="Money"/>, Guid (lookups),
/// IReadOnlyList&lt;string&gt; (multi-picklists), or null.
/// </summary>
public abstract class CrmRecord
{
    /// <summary>The entity's API name.</summary>
    public abstract string Entity { get; }

    /// <summary>The record id (a UUID v7).</summary>
    public abstract Guid Id { get; }

    /// <summary>Grows with every change; pass it back to detect conflicting writes.</summary>
    public abstract long Version { get; }

    /// <summary>When the record was created (UTC).</summary>
    public abstract DateTime CreatedAt { get; }

    /// <summary>When the record last changed (UTC).</summary>
    public abstract DateTime UpdatedAt { get; }

    /// <summary>The owning user.</summary>
    public abstract Guid? OwnerId { get; }

    /// <summary>A field's value by API name; null when empty or unknown.</summary>
    public abstract object? GetValue(string field);

    /// <summary>A field's value by API name.</summary>
    public object? this[string field] => GetValue(field);

    /// <summary>A field's value converted to <typeparamref name="T"/>; default when empty.</summary>
    public T? GetValue<T>(string field) => Values.Convert<T>(GetValue(field));
}
