namespace CrmEngine.Engine.Metadata;

/// <summary>
/// API names that belong to an owner on every tenant. An installed plugin reserves the query and
/// mutation names of its entities and of its operations, whether a tenant enables it or not, so a
/// tenant's own entity or another plugin never takes them and the plugin can always be enabled.
/// </summary>
public interface INameReservations
{
    /// <summary>The owner (a plugin id) of a root query or mutation name; null when nobody reserves it.</summary>
    string? OwnerOf(string apiName);
}

/// <summary>Checks a metadata change against the reservations: only what the change adds, so names a tenant took before a plugin was installed stay usable.</summary>
public static class NameReservationRules
{
    public static IEnumerable<Errors.CrmError> Check(MetadataSnapshot current, MetadataSnapshot next, INameReservations reservations)
    {
        foreach (var entity in next.Entities.Where(e => current.FindAny(e.Name)?.Source != e.Source))
        {
            foreach (var name in ApiNames.RootQueryFields(entity).Concat(ApiNames.Mutations(entity)))
            {
                if (reservations.OwnerOf(name) is { } owner && owner != entity.Source)
                {
                    yield return new Errors.CrmError(Errors.ErrorCodes.ReservedName,
                        $"Entity '{entity.Name}' would define '{name}', which plugin '{owner}' reserves. Choose another name; a prefix of your own (such as 'acme') avoids clashes.", "name");
                    break;
                }
            }
        }

        foreach (var plugin in next.Plugins)
        {
            var before = current.Plugins.FirstOrDefault(p => p.Id == plugin.Id);
            foreach (var operation in plugin.Queries.Concat(plugin.Mutations).Where(o => before is null || !before.Queries.Concat(before.Mutations).Contains(o)))
            {
                if (reservations.OwnerOf(operation) is { } owner && owner != plugin.Id)
                {
                    yield return new Errors.CrmError(Errors.ErrorCodes.ReservedName, $"Plugin '{plugin.Id}' would add the operation '{operation}', which plugin '{owner}' reserves.", "id");
                }
            }
        }
    }
}
