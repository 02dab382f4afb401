using System.Security.Cryptography;
using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Messaging.Channels;
using CrmEngine.Messaging.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Messaging.Delivery;

/// <summary>
/// Sends due messages. Woken by <see cref="MessageSignal"/> when messages are queued and by a periodic
/// sweep (retries coming due, work left by a host that stopped). A tenant's messages are sent under a
/// lease (<see cref="IWorkLeases"/>: in process on SQLite, an advisory lock on PostgreSQL), so among
/// several hosts one at a time sends them and each message id is sent by one host; an attempt is
/// recorded right after its batch, and a host that dies in between leaves it due (the resend carries
/// the same Message-ID). Each channel keeps its daily cap and per-second throttle; a channel that is
/// not configured or disabled leaves its messages queued.
/// </summary>
public sealed class MessageDeliverer(
    TenantCatalog catalog,
    TenantRegistry tenants,
    IWorkLeases leases,
    MessageSignal signal,
    IEnumerable<IChannelSender> senders,
    ChannelSecrets secrets,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<MessageDeliverer> logger) : BackgroundService
{
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel.ToString().ToLowerInvariant());

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        TenantWorkLoop.RunAsync(signal.Reader, signal.Notify, catalog, () => options.Value.PollInterval, DueProbe, TrySendDueAsync, logger, "The message sender", stoppingToken);

    /// <summary>Queued messages whose (next) attempt is due, of any channel: a channel not set up keeps its tenant looked at.</summary>
    private DueWorkProbe DueProbe() => DueWorkProbe.Rows("crm_message", $"status = '{nameof(MessageStatus.Queued)}' AND next_attempt_at <= @now", time.UtcNow());

    /// <summary>Sends a tenant's due messages if its lease is free; false when another host (or pass) is sending them. Public for tests and the benchmark.</summary>
    public async Task<bool> TrySendDueAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryAcquireAsync("messaging:" + tenantId, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        var store = await tenants.GetAsync(tenantId, cancellationToken);
        List<ChannelSettingsRow> channels;
        await using (var context = store.CreateContext())
        {
            channels = await context.Set<ChannelSettingsRow>().Where(c => c.Enabled).ToListAsync(cancellationToken);
        }

        foreach (var channel in channels.Where(c => _senders.ContainsKey(c.Channel)))
        {
            if (Config(tenantId, channel) is not { } config)
            {
                continue;
            }

            while (await SendBatchAsync(store, config, cancellationToken))
            {
            }
        }

        return true;
    }

    private ChannelConfig? Config(string tenantId, ChannelSettingsRow channel)
    {
        try
        {
            return new ChannelConfig(channel, channel.Secret is null ? null : secrets.Unprotect(tenantId, channel.Channel, channel.Secret));
        }
        catch (CryptographicException)
        {
            logger.LogWarning("This host can't read the {Channel} channel's secret of tenant {Tenant} (its Data Protection key ring lacks the key); set it again.", channel.Channel, tenantId);
            return null;
        }
    }

    /// <summary>Sends one batch of a channel's due messages; true when the batch was full, so more may be due.</summary>
    private async Task<bool> SendBatchAsync(TenantStore store, ChannelConfig config, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var now = time.UtcNow();
        var settings = config.Settings;
        var channel = settings.Channel;
        await using var context = store.CreateContext();
        var limit = Math.Max(1, options.Value.BatchSize);
        if (settings.PerSecond > 0)
        {
            limit = Math.Min(limit, settings.PerSecond);
        }

        if (settings.DailyCap > 0)
        {
            var midnight = now.Date;
            var sent = await context.Set<MessageRow>().CountAsync(m => m.Channel == channel && m.SentAt >= midnight, cancellationToken);
            limit = Math.Min(limit, settings.DailyCap - sent);
            if (limit <= 0)
            {
                return false;
            }
        }

        var queued = nameof(MessageStatus.Queued);
        var due = await context.Set<MessageRow>().AsTracking()
            .Where(m => m.Channel == channel && m.Status == queued && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return false;
        }

        var outcomes = await _senders[channel].SendAsync(store.TenantId, config, due, cancellationToken);
        for (var i = 0; i < due.Count; i++)
        {
            Record(due[i], outcomes[i]);
        }

        // Recorded even when the host is stopping: the attempts were made.
        await context.SaveChangesAsync(CancellationToken.None);
        if (settings.PerSecond > 0 && time.GetElapsedTime(started) is var spent && spent < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1) - spent, time, cancellationToken);
        }

        return due.Count == limit;
    }

    /// <summary>Writes down an attempt: sent, bounced, or due again after a back-off, or failed after the last attempt.</summary>
    private void Record(MessageRow message, SendOutcome outcome)
    {
        var now = time.UtcNow();
        var settings = options.Value;
        message.Attempts++;
        message.LastError = outcome.Error;
        message.NextAttemptAt = null;
        switch (outcome.Result)
        {
            case SendResult.Sent:
                message.Status = nameof(MessageStatus.Sent);
                message.SentAt = now;
                message.ProviderId = outcome.ProviderId;
                break;
            case SendResult.Permanent:
                message.Status = nameof(MessageStatus.Bounced);
                break;
            case SendResult.Transient when message.Attempts >= settings.MaxAttempts:
                message.Status = nameof(MessageStatus.Failed);
                logger.LogWarning("Message {Message} failed after {Attempts} attempts: {Error}", message.Id, message.Attempts, outcome.Error);
                break;
            default:
                message.NextAttemptAt = now + RetrySchedule.Delay(message.Attempts, settings.FirstRetryDelay, settings.MaxRetryDelay, Random.Shared.NextDouble());
                break;
        }
    }
}
