using System.Security.Cryptography;
using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>
/// Sends due deliveries. Woken by <see cref="DeliverySignal"/> when deliveries are queued and by a
/// periodic sweep (retries coming due, work left by a host that stopped). A tenant's deliveries are
/// sent under a lease (<see cref="IWorkLeases"/>: in process on SQLite, an advisory lock on
/// PostgreSQL), so among several hosts one at a time sends them and each attempt is made by one host.
/// An attempt is recorded after it is made: a host that dies in between leaves the delivery due, and
/// the next holder sends it again with the same idempotency key (at least once).
/// </summary>
public sealed class WebhookDeliverer(
    TenantCatalog catalog,
    TenantRegistry tenants,
    IWorkLeases leases,
    DeliverySignal signal,
    WebhookSender sender,
    WebhookSecrets secrets,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliverer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        TenantWorkLoop.RunAsync(signal.Reader, signal.Notify, catalog, () => options.Value.PollInterval, DueProbe, TrySendDueAsync, logger, "The webhook sender", stoppingToken);

    /// <summary>Pending deliveries whose (next) attempt is due; those of a paused webhook keep its tenant looked at.</summary>
    private DueWorkProbe DueProbe() => DueWorkProbe.Rows("crm_webhook_delivery", $"status = '{nameof(DeliveryStatus.Pending)}' AND next_attempt_at <= @now", time.UtcNow());

    /// <summary>Sends a tenant's due deliveries if its lease is free; false when another host (or pass) is sending them. Public for tests.</summary>
    public async Task<bool> TrySendDueAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryAcquireAsync("webhooks:" + tenantId, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        var store = await tenants.GetAsync(tenantId, cancellationToken);
        while (await SendBatchAsync(store, cancellationToken))
        {
        }

        return true;
    }

    /// <summary>Sends one batch of due deliveries at once (up to the concurrency); true when the batch was full, so more may be due.</summary>
    private async Task<bool> SendBatchAsync(TenantStore store, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var batch = Math.Max(1, options.Value.Concurrency);
        await using var context = store.CreateContext();
        var pending = nameof(DeliveryStatus.Pending);
        var due = await context.Set<WebhookDeliveryRow>().AsTracking()
            .Where(d => d.Status == pending && d.NextAttemptAt <= now && context.Set<WebhookRow>().Any(w => w.Id == d.WebhookId && w.Active))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Take(batch)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return false;
        }

        var ids = due.Select(d => d.WebhookId).Distinct().ToList();
        var webhooks = await context.Set<WebhookRow>().AsTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        var outcomes = await Task.WhenAll(due.Select(d => AttemptAsync(store.TenantId, webhooks[d.WebhookId], d, cancellationToken)));
        for (var i = 0; i < due.Count; i++)
        {
            Record(due[i], webhooks[due[i].WebhookId], outcomes[i]);
        }

        // Recorded even when the host is stopping: the attempts were made.
        await context.SaveChangesAsync(CancellationToken.None);
        return due.Count == batch;
    }

    private async Task<AttemptOutcome> AttemptAsync(string tenantId, WebhookRow webhook, WebhookDeliveryRow delivery, CancellationToken cancellationToken)
    {
        string secret;
        try
        {
            secret = secrets.Unprotect(tenantId, webhook.Id, webhook.Secret);
        }
        catch (CryptographicException)
        {
            return new AttemptOutcome(false, null, "This host can't read the webhook's signing secret (its Data Protection key ring lacks the key); rotate the secret.");
        }

        return await sender.SendAsync(webhook.Id, webhook.Url, delivery.Id, delivery.Event, delivery.Entity, delivery.Body, secret, cancellationToken);
    }

    /// <summary>Writes down an attempt: delivered, or due again after a back-off, or dead; and disables an endpoint that keeps failing.</summary>
    private void Record(WebhookDeliveryRow delivery, WebhookRow webhook, AttemptOutcome outcome)
    {
        var now = time.UtcNow();
        var settings = options.Value;
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = Truncate(outcome.Error);
        if (outcome.Delivered)
        {
            delivery.Status = nameof(DeliveryStatus.Delivered);
            delivery.DeliveredAt = now;
            delivery.NextAttemptAt = null;
            webhook.ConsecutiveFailures = 0;
            return;
        }

        webhook.ConsecutiveFailures++;
        if (delivery.Attempts >= settings.MaxAttempts)
        {
            delivery.Status = nameof(DeliveryStatus.Dead);
            delivery.NextAttemptAt = null;
            logger.LogWarning("Webhook delivery {Delivery} to {Url} is dead after {Attempts} attempts: {Error}", delivery.Id, webhook.Url, delivery.Attempts, outcome.Error);
        }
        else
        {
            delivery.NextAttemptAt = now + RetrySchedule.Delay(delivery.Attempts, settings.FirstRetryDelay, settings.MaxRetryDelay, Random.Shared.NextDouble());
        }

        if (webhook.Active && webhook.ConsecutiveFailures >= settings.DisableAfterFailures)
        {
            webhook.Active = false;
            webhook.DisabledAt = now;
            webhook.DisabledReason = Truncate($"Disabled automatically after {webhook.ConsecutiveFailures} failed attempts in a row; the last: {outcome.Error}");
            logger.LogWarning("Webhook {Webhook} to {Url} was disabled after {Failures} failed attempts in a row.", webhook.Id, webhook.Url, webhook.ConsecutiveFailures);
        }
    }

    private static string? Truncate(string? text) => text is { Length: > WebhookSender.MaxResponseBytes } ? text[..WebhookSender.MaxResponseBytes] : text;
}
