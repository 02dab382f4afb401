using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>The engine's services over a throwaway store (see <see cref="EngineServices"/>). Each test makes its own tenants.</summary>
/// <param name="configure">Extra services.</param>
/// <param name="store">A store to share with other harnesses (the caller disposes it); a new one otherwise.</param>
public sealed class EngineHarness(Action<IServiceCollection>? configure = null, TestStore? store = null) : EngineServices(store, configure)
{
    /// <summary>A new tenant and an admin session on it.</summary>
    public async Task<CrmSession> NewTenantAsync(string? id = null)
    {
        id ??= "t" + Guid.NewGuid().ToString("N")[..12];
        await Catalog.CreateTenantAsync(id, id, CancellationToken.None);
        return await SessionAsync(id);
    }

    public async Task<CrmSession> DefineAsync(CrmSession session, EntityDefinition entity)
    {
        await Metadata.CreateEntityAsync(session.Store, entity, session.Principal.UserId, CancellationToken.None);
        return await SessionAsync(session.TenantId, session.Principal.UserId);
    }
}
