using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Files.Storage;

/// <summary>
/// Files go for good with the data they belong to: when a tenant's metadata changes, the files of
/// entities and fields no longer in it (purged by purgeEntity, purgeField, or a plugin uninstalled
/// with its data) are removed, metadata and content. A removed (not yet purged) entity or field
/// keeps its files, as it keeps its data. Every host hears the change; removing twice is harmless.
/// One grouped query over crm_file per metadata change, which is rare.
/// </summary>
internal sealed class PurgedFilesRemover(TenantRegistry tenants, IFileStorage storage) : IChangeHandler
{
    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        if (change.Kind != ChangeKinds.Metadata || change.TenantId is not { } tenant)
        {
            return;
        }

        var view = (await tenants.GetAsync(tenant, cancellationToken)).Current;
        await using var context = view.CreateContext();
        var files = context.Set<FileRow>();
        var places = await files.Where(f => f.Entity != null && f.Field != null).Select(f => new { f.Entity, f.Field }).Distinct().ToListAsync(cancellationToken);
        foreach (var place in places.Where(p => view.Metadata.FindAny(p.Entity!)?.FindAnyField(p.Field!) is null))
        {
            var ids = await files.Where(f => f.Entity == place.Entity && f.Field == place.Field).Select(f => f.Id).ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                await storage.DeleteAsync(tenant, id, cancellationToken);
            }

            await files.Where(f => ids.Contains(f.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
