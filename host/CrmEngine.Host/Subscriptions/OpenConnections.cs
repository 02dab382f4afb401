using System.Collections.Concurrent;
using CrmEngine.Engine.Coordination;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Subscriptions;

/// <summary>
/// This host's open subscription connections. When a credential may have stopped holding (a key
/// revoked, a tenant's users changed, a tenant deleted, or events missed), the connections it
/// concerns check their credential again at once, and those refused are closed with 4403; it also
/// counts each caller's subscriptions on this host against <see cref="SubscriptionOptions.MaxSubscriptionsPerCaller"/>.
/// </summary>
public sealed class OpenConnections(IOptions<SubscriptionOptions> options) : IChangeHandler
{
    private readonly ConcurrentDictionary<TransportWsConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, int> _subscriptionsByCaller = new(StringComparer.Ordinal);

    /// <summary>How many initialised connections this host holds for a tenant.</summary>
    public int Count(string tenantId) => _connections.Keys.Count(c => c.Session?.TenantId == tenantId);

    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        Func<TransportWsConnection, bool>? concerned = change switch
        {
            { Kind: ChangeKinds.KeyRevoked, Subject: { } keyId } => c => c.Session?.Principal.KeyId == keyId,
            { Kind: ChangeKinds.Identity or ChangeKinds.TenantRemoved or ChangeKinds.TenantReplaced, TenantId: { } tenant } => c => c.Session?.TenantId == tenant,
            { Kind: ChangeKinds.Resync } => _ => true,
            _ => null,
        };
        if (concerned is null)
        {
            return;
        }

        await Task.WhenAll(_connections.Keys.Where(concerned).Select(c => c.RevalidateAsync()));
    }

    internal IDisposable Add(TransportWsConnection connection)
    {
        _connections[connection] = 0;
        return new Removal(() => _connections.TryRemove(connection, out _));
    }

    /// <summary>Takes one of the caller's subscriptions on this host, or false when it holds the most it may.</summary>
    internal bool TryReserve(string caller)
    {
        while (true)
        {
            var held = _subscriptionsByCaller.GetValueOrDefault(caller);
            if (held >= options.Value.MaxSubscriptionsPerCaller)
            {
                return false;
            }

            if (held == 0 ? _subscriptionsByCaller.TryAdd(caller, 1) : _subscriptionsByCaller.TryUpdate(caller, held + 1, held))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a subscription <see cref="TryReserve"/> took.</summary>
    internal void Release(string caller)
    {
        while (_subscriptionsByCaller.TryGetValue(caller, out var held))
        {
            if (held <= 1 ? _subscriptionsByCaller.TryRemove(new KeyValuePair<string, int>(caller, held)) : _subscriptionsByCaller.TryUpdate(caller, held - 1, held))
            {
                return;
            }
        }
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
