using System.Threading.Channels;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>Wakes the outbox dispatcher for a tenant right after a commit, instead of waiting for its next sweep.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<string> _tenants = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Notify(string tenantId) => _tenants.Writer.TryWrite(tenantId);

    internal ChannelReader<string> Reader => _tenants.Reader;
}
