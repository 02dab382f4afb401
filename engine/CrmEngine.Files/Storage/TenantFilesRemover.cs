using CrmEngine.Engine.Coordination;

namespace CrmEngine.Files.Storage;

/// <summary>A deleted tenant's files go with its store (every host hears of it; removing twice is harmless).</summary>
internal sealed class TenantFilesRemover(IFileStorage storage) : IChangeHandler
{
    public Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken) =>
        change.Kind == ChangeKinds.TenantRemoved && change.TenantId is { } tenant
            ? storage.DeleteTenantAsync(tenant, cancellationToken)
            : Task.CompletedTask;
}
