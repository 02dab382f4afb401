using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// A tenant's metadata at one version: every entity, active or removed. Immutable: a change
/// produces a new snapshot, and readers holding the old one are never disturbed.
/// </summary>
public sealed class MetadataSnapshot
{
    private readonly Dictionary<string, EntityDefinition> _byName;
    private readonly Lazy<string> _storageSignature;

    public MetadataSnapshot(long version, IEnumerable<EntityDefinition> entities, IEnumerable<EnabledPlugin>? plugins = null)
    {
        Version = version;
        Entities = entities.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        Plugins = (plugins ?? []).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        _byName = Entities.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _storageSignature = new Lazy<string>(ComputeStorageSignature);
    }

    public static MetadataSnapshot Empty { get; } = new(0, []);

    public long Version { get; }

    public IReadOnlyList<EntityDefinition> Entities { get; }

    /// <summary>The plugins enabled on the tenant.</summary>
    public IReadOnlyList<EnabledPlugin> Plugins { get; }

    public bool IsPluginEnabled(string pluginId) => Plugins.Any(p => p.Id == pluginId);

    public IEnumerable<EntityDefinition> ActiveEntities => Entities.Where(e => e.IsActive);

    /// <summary>
    /// A hash of everything that shapes the database (tables, columns, types, indexes, keys) and
    /// nothing that doesn't (labels, descriptions, options). Tenants with equal signatures share one
    /// EF model and its compiled queries.
    /// </summary>
    public string StorageSignature => _storageSignature.Value;

    /// <summary>An active entity by API name.</summary>
    public EntityDefinition? Find(string name) => _byName.TryGetValue(name, out var e) && e.IsActive ? e : null;

    /// <summary>An entity by API name, removed or not.</summary>
    public EntityDefinition? FindAny(string name) => _byName.GetValueOrDefault(name);

    public EntityDefinition Get(string name) =>
        Find(name) ?? throw new Errors.CrmException(Errors.ErrorCodes.UnknownEntity, $"There is no entity named '{name}'.");

    /// <summary>Active lookups, on active entities, that point at <paramref name="target"/>: its inverse lists.</summary>
    public IEnumerable<(EntityDefinition Source, FieldDefinition Lookup)> InverseLookupsOf(string target) =>
        ActiveEntities.SelectMany(e => e.ActiveFields.Where(f => f.Type == FieldType.Lookup && f.LookupEntity == target).Select(f => (e, f)));

    /// <summary>Active rollup fields, on active entities, computed over records of <paramref name="child"/> (asked on every write: built once).</summary>
    public IReadOnlyList<(EntityDefinition Parent, FieldDefinition Field)> RollupsOver(string child) =>
        (_rollupsByChild ??= ActiveEntities
            .SelectMany(e => e.ActiveFields.Where(f => f is { Type: FieldType.Rollup, Rollup: not null }).Select(f => (Parent: e, Field: f)))
            .GroupBy(x => x.Field.Rollup!.Entity, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal))
        .GetValueOrDefault(child) ?? [];

    private Dictionary<string, (EntityDefinition Parent, FieldDefinition Field)[]>? _rollupsByChild;

    private string ComputeStorageSignature()
    {
        var shape = Entities.Select(e => new
        {
            e.Name,
            Indexes = e.Indexes.Select(i => string.Join(',', i.Fields)),
            Fields = e.Fields.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new
            {
                f.Name,
                Type = f.Type.ToString(),
                f.Unique,
                f.Indexed,
                f.LookupEntity,
                // A computed field's column has its result type (one property keeps older signatures as they were).
                Rollup = (f.Rollup?.ResultType ?? f.Formula?.ResultType)?.ToString(),
            }),
        });
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(shape)));
        return Convert.ToHexString(bytes, 0, 16);
    }
}
