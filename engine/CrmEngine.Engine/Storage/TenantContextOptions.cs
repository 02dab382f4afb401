using CrmEngine.Engine.Storage.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// What every tenant context has on top of its provider's connection settings, whoever makes it (a
/// tenant view's pool, or a provider's own read connections): the model, no tracking, the engine's
/// parameter extraction (<see cref="OperandQueryCompiler"/>) and the host's EF interceptors.
/// </summary>
public static class TenantContextOptions
{
    public static DbContextOptionsBuilder<TenantDbContext> Complete(DbContextOptionsBuilder<TenantDbContext> builder, IModel model, IReadOnlyList<IInterceptor> interceptors)
    {
        OperandQueryCompiler.Use(builder).UseModel(model).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        if (interceptors.Count > 0)
        {
            builder.AddInterceptors(interceptors);
        }

        return builder;
    }
}
