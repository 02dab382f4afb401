using CrmEngine.Engine.Tenancy;
using CrmEngine.Messaging.Storage;
using CrmEngine.Sdk.Messaging;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// The SDK's <see cref="IMessageDeliveries"/> over the message log: each message's status, last error
/// and send time as the delivery loop recorded them. Ids are looked up in chunks, so a module may ask
/// about thousands at once.
/// </summary>
public sealed class MessageDeliveryReader(TenantRegistry tenants) : IMessageDeliveries
{
    private const int Chunk = 500;

    public async Task<IReadOnlyList<MessageDelivery>> GetAsync(string tenantId, IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return [];
        }

        var store = await tenants.GetAsync(tenantId, cancellationToken);
        await using var context = store.CreateContext();
        var deliveries = new List<MessageDelivery>(messageIds.Count);
        foreach (var chunk in messageIds.Distinct().Chunk(Chunk))
        {
            var ids = chunk.ToList();
            var rows = await context.Set<MessageRow>().Where(m => ids.Contains(m.Id))
                .Select(m => new { m.Id, m.Status, m.LastError, m.SentAt })
                .ToListAsync(cancellationToken);
            deliveries.AddRange(rows.Select(r => new MessageDelivery(r.Id, Enum.Parse<DeliveryStatus>(r.Status), r.LastError, r.SentAt)));
        }

        return deliveries;
    }
}
