using CrmEngine.Engine.Metadata;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Runtime models keyed by the storage signature of the metadata, not by tenant: tenants with the
/// same schema share one model and so one set of compiled queries. Bounded, least recently used
/// out first, because EF's own model cache would keep every model forever.
/// </summary>
public sealed class ModelCache(TenantModelFactory factory, int capacity = 512)
{
    private readonly BoundedCache<IModel> _models = new(capacity);

    public int Count => _models.Count;

    public IModel Get(MetadataSnapshot snapshot) =>
        _models.GetOrAdd(factory.Provider.Name + ":" + factory.System.Signature + ":" + snapshot.StorageSignature, () => factory.BuildForRuntime(snapshot, ModelScope.All));
}
