using System.Threading.Channels;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>Wakes the sender when a tenant has new deliveries (queued, or sent back by an admin), so they go out without waiting for the next sweep.</summary>
public sealed class DeliverySignal
{
    private readonly Channel<string> _tenants = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Notify(string tenantId) => _tenants.Writer.TryWrite(tenantId);

    internal ChannelReader<string> Reader => _tenants.Reader;
}
