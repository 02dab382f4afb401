using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Engine.Coordination;

/// <summary>
/// Publishes <see cref="ChangeEvent"/>s: to this host's <see cref="IChangeHandler"/>s at once, and to
/// every other host through the <see cref="IChangeTransport"/>. Handlers are idempotent, so an event
/// that reaches a host twice does no harm.
/// </summary>
public sealed class ChangeFeed(IServiceProvider services, IChangeTransport transport, ILogger<ChangeFeed> logger)
{
    // Resolved on first use because handlers depend on the services that publish (a cycle otherwise).
    private readonly Lazy<IChangeHandler[]> _handlers = new(() => services.GetServices<IChangeHandler>().ToArray());

    /// <summary>Who this host is on the wire, so it can skip its own events when they come back.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>
    /// Tells this host and the others. Call it after the change committed; a failure to reach the
    /// others is logged, not thrown, because the change itself stands.
    /// </summary>
    public async Task PublishAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        await DispatchAsync(change, cancellationToken);
        try
        {
            await transport.SendAsync(change, Origin, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Other hosts could not be told about {Kind} of tenant {Tenant}; they catch up when their listener reconnects.", change.Kind, change.TenantId);
        }
    }

    /// <summary>Hands an event to this host's handlers (the transport calls this for events from other hosts).</summary>
    public async Task DispatchAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers.Value)
        {
            try
            {
                await handler.HandleAsync(change, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "{Handler} failed on {Kind} of tenant {Tenant}.", handler.GetType().Name, change.Kind, change.TenantId);
            }
        }
    }
}
