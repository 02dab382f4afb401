using System.Threading.Channels;

namespace CrmEngine.Engine.Coordination;

/// <summary>
/// Wakes a background sender when a tenant has new work (webhook deliveries, messages), so it goes out
/// without waiting for the next sweep; read by the sender's <see cref="TenantWorkLoop"/>.
/// </summary>
public abstract class TenantSignal
{
    private readonly Channel<string> _tenants = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Notify(string tenantId) => _tenants.Writer.TryWrite(tenantId);

    public ChannelReader<string> Reader => _tenants.Reader;
}
