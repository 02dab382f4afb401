using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>The delivery log, for admins: what was sent where, how it went, what is next; and sending one again.</summary>
public sealed class DeliveryLog(DeliverySignal signal, TimeProvider time)
{
    public const int MaxPage = 500;

    /// <summary>Deliveries, newest first, of one webhook or all, in one status or any.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryRow>> ListAsync(CrmSession session, Guid? webhookId, DeliveryStatus? status, int first, CancellationToken cancellationToken)
    {
        WebhookService.RequireAdmin(session);
        await using var context = session.CreateContext();
        var rows = context.Set<WebhookDeliveryRow>().AsQueryable();
        if (webhookId is { } id)
        {
            rows = rows.Where(d => d.WebhookId == id);
        }

        if (status is { } wanted)
        {
            var name = wanted.ToString();
            rows = rows.Where(d => d.Status == name);
        }

        return await rows.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Math.Clamp(first, 1, MaxPage)).ToListAsync(cancellationToken);
    }

    public async Task<WebhookDeliveryRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        WebhookService.RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<WebhookDeliveryRow>().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
    }

    /// <summary>
    /// Sends a delivery again, whatever its status, with a fresh set of attempts starting now: the
    /// same body and the same idempotency key, so a receiver that has it already can tell. A delivery
    /// of a disabled webhook waits until the webhook is enabled again.
    /// </summary>
    public async Task<WebhookDeliveryRow> RedeliverAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        WebhookService.RequireAdmin(session);
        await using var context = session.CreateContext();
        var row = await context.Set<WebhookDeliveryRow>().AsTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new CrmException(ErrorCodes.NotFound, $"There is no webhook delivery {id}.", "deliveryId");
        row.Status = nameof(DeliveryStatus.Pending);
        row.Attempts = 0;
        row.NextAttemptAt = time.UtcNow();
        row.DeliveredAt = null;
        await context.SaveChangesAsync(cancellationToken);
        signal.Notify(session.TenantId);
        return row;
    }
}
