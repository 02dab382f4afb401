using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// A group of the engine's own tables (prefixed <c>crm_</c>) in every tenant store, such as the core
/// tables or the rules tables. Groups are versioned: when one changes, its <see cref="Version"/>
/// goes up and <see cref="Configure"/> must still describe every older version, so existing stores
/// are upgraded by diffing the old model against the new one, like entity tables are.
/// </summary>
public interface ISystemTables
{
    /// <summary>A stable name, stored with the version in crm_system_schema.</summary>
    string Name { get; }

    /// <summary>The current version (1 or more).</summary>
    int Version { get; }

    /// <summary>Adds the group's tables as they were at <paramref name="version"/> (1..<see cref="Version"/>).</summary>
    void Configure(ModelBuilder builder, int version);
}

/// <summary>All system table groups known to this process, and their versions.</summary>
public sealed class SystemSchema
{
    public const string TablePrefix = "crm_";

    public SystemSchema(IEnumerable<ISystemTables> groups)
    {
        Groups = groups.OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        if (Groups.GroupBy(g => g.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new InvalidOperationException($"Two system table groups are named '{duplicate.Key}'.");
        }

        Signature = string.Join(',', Groups.Select(g => $"{g.Name}:{g.Version}"));
    }

    public IReadOnlyList<ISystemTables> Groups { get; }

    /// <summary>Names and versions, part of model cache keys.</summary>
    public string Signature { get; }

    public IReadOnlyDictionary<string, int> CurrentVersions => Groups.ToDictionary(g => g.Name, g => g.Version);

    /// <summary>Adds the tables at the given versions (current when null; a group absent or at 0 is left out).</summary>
    public void Configure(ModelBuilder builder, IReadOnlyDictionary<string, int>? versions = null)
    {
        foreach (var group in Groups)
        {
            var version = versions is null ? group.Version : versions.GetValueOrDefault(group.Name);
            if (version > 0)
            {
                group.Configure(builder, Math.Min(version, group.Version));
            }
        }
    }
}
