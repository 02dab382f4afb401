using System.Text.Json;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Metadata;

/// <summary>Reads and writes a tenant's metadata rows (crm_metadata_*) in its own store.</summary>
public static class MetadataStore
{
    public static async Task<MetadataSnapshot> LoadAsync(TenantDbContext context, CancellationToken cancellationToken)
    {
        var state = await context.Set<MetadataStateRow>().AsNoTracking().SingleAsync(cancellationToken);
        var rows = await context.Set<MetadataEntityRow>().AsNoTracking().ToListAsync(cancellationToken);
        var plugins = state.Plugins is null ? [] : JsonSerializer.Deserialize<List<EnabledPlugin>>(state.Plugins, MetadataJson.Options) ?? [];
        return new MetadataSnapshot(state.Version, rows.Select(r => MetadataJson.Deserialize(r.Definition)), plugins);
    }

    /// <summary>
    /// Locks the version row for the rest of the transaction and checks it still holds
    /// <paramref name="expected"/>; throws <see cref="DbUpdateConcurrencyException"/> when another
    /// writer moved it on. Plain UPDATE through EF, so every provider holds the row the same way.
    /// </summary>
    public static async Task ClaimVersionAsync(TenantDbContext context, long expected, DateTime now, CancellationToken cancellationToken)
    {
        var claimed = await context.Set<MetadataStateRow>()
            .Where(s => s.Id == 1 && s.Version == expected)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            throw new DbUpdateConcurrencyException($"The metadata is no longer at version {expected}.");
        }
    }

    /// <summary>
    /// Writes the entities that differ between two snapshots and moves the version from
    /// <c>from.Version</c> to <c>to.Version</c>. The version row is a concurrency token, so two
    /// writers racing from the same version can't both succeed.
    /// </summary>
    public static async Task SaveAsync(TenantDbContext context, MetadataSnapshot from, MetadataSnapshot to, string summary, Guid? actor, DateTime now, CancellationToken cancellationToken)
    {
        var entityRows = context.Set<MetadataEntityRow>();
        foreach (var entity in to.Entities)
        {
            var json = MetadataJson.Serialize(entity);
            var previous = from.FindAny(entity.Name);
            if (previous is null)
            {
                entityRows.Add(new MetadataEntityRow { Name = entity.Name, Definition = json, UpdatedAt = now });
            }
            else if (MetadataJson.Serialize(previous) != json)
            {
                entityRows.Update(new MetadataEntityRow { Name = entity.Name, Definition = json, UpdatedAt = now });
            }
        }

        foreach (var gone in from.Entities.Where(e => to.FindAny(e.Name) is null))
        {
            entityRows.Remove(new MetadataEntityRow { Name = gone.Name, Definition = string.Empty });
        }

        var state = new MetadataStateRow { Id = 1, Version = from.Version, Plugins = PluginsJson(from), UpdatedAt = now };
        context.Set<MetadataStateRow>().Attach(state);
        state.Version = to.Version;
        state.Plugins = PluginsJson(to);
        state.UpdatedAt = now;
        context.Set<MetadataChangeRow>().Add(new MetadataChangeRow { Version = to.Version, At = now, Actor = actor, Summary = summary });
        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Whether two snapshots define the same entities and enabled plugins, whatever their versions and order.</summary>
    public static bool SameContent(MetadataSnapshot a, MetadataSnapshot b) =>
        a.Entities.Count == b.Entities.Count
        && a.Entities.All(e => b.FindAny(e.Name) is { } other && MetadataJson.Serialize(other) == MetadataJson.Serialize(e))
        && JsonSerializer.Serialize(a.Plugins.OrderBy(p => p.Id, StringComparer.Ordinal), MetadataJson.Options) == JsonSerializer.Serialize(b.Plugins.OrderBy(p => p.Id, StringComparer.Ordinal), MetadataJson.Options);

    private static string? PluginsJson(MetadataSnapshot snapshot) =>
        snapshot.Plugins.Count == 0 ? null : JsonSerializer.Serialize(snapshot.Plugins, MetadataJson.Options);
}
