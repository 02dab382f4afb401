using System.Security.Cryptography;
using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Inbound.Intake;
using CrmEngine.Inbound.Settings;
using CrmEngine.Inbound.Storage;
using CrmEngine.Messaging.Channels;
using CrmEngine.Messaging.Storage;
using CrmEngine.Sdk.Messaging;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Inbound.Imap;

/// <summary>
/// Polls each tenant's IMAP mailbox, under the tenant's lease ("inbound-imap:{tenant}": in process on
/// SQLite, an advisory lock on PostgreSQL), so with several hosts one at a time reads it. Messages above
/// the last UID handled (<see cref="ImapWindow"/>) are taken in one by one, the position recorded after
/// each; a message over the size limit or malformed is skipped; a host that dies between taking one and
/// recording it takes it again, and the Message-ID makes that a duplicate. The mailbox is opened read-only.
/// </summary>
public sealed class ImapPoller(
    TenantCatalog catalog,
    TenantRegistry tenants,
    IWorkLeases leases,
    ImapSignal signal,
    ChannelSecrets secrets,
    MailIntake intake,
    IOptions<InboundOptions> options,
    TimeProvider time,
    ILogger<ImapPoller> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        TenantWorkLoop.RunAsync(signal.Reader, signal.Notify, catalog, () => options.Value.ImapPollInterval, DueProbe, TryPollAsync, logger, "The IMAP poller", stoppingToken);

    /// <summary>Tenants with a mailbox to poll: every sweep polls each of them, the others are not opened.</summary>
    private DueWorkProbe DueProbe() => DueWorkProbe.Rows("crm_inbound_settings",
        "imap_enabled AND imap_host IS NOT NULL AND imap_port IS NOT NULL AND imap_username IS NOT NULL AND imap_secret IS NOT NULL");

    /// <summary>Polls a tenant's mailbox if its lease is free; false when another host (or pass) is polling it. Public for tests.</summary>
    public async Task<bool> TryPollAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryAcquireAsync("inbound-imap:" + tenantId, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        var store = await tenants.GetAsync(tenantId, cancellationToken);
        InboundSettingsRow? settings;
        await using (var context = store.CreateContext())
        {
            settings = await context.Set<InboundSettingsRow>().FirstOrDefaultAsync(cancellationToken);
        }

        if (settings is not { ImapEnabled: true, ImapHost: not null, ImapPort: not null, ImapUsername: not null, ImapSecret: not null })
        {
            return true;
        }

        string? error = null;
        try
        {
            var password = secrets.Unprotect(tenantId, InboundSettingsService.ImapSecretPurpose, settings.ImapSecret);
            await PollAsync(store, settings, password, cancellationToken);
        }
        catch (CryptographicException)
        {
            error = "This host can't read the IMAP password (its Data Protection key ring lacks the key); set it again.";
        }
        catch (Exception e) when (e is ImapProtocolException or ImapCommandException or IOException or System.Net.Sockets.SocketException or AuthenticationException or SslHandshakeException or TimeoutException or FolderNotFoundException)
        {
            error = "IMAP: " + e.Message;
        }

        if (error is not null)
        {
            logger.LogWarning("Polling the IMAP mailbox of tenant {Tenant} failed: {Error}", tenantId, error);
        }

        await using (var context = store.CreateContext())
        {
            await context.Set<InboundSettingsRow>().ExecuteUpdateAsync(s => s.SetProperty(r => r.ImapPolledAt, time.UtcNow()).SetProperty(r => r.ImapError, error), CancellationToken.None);
        }

        return true;
    }

    private async Task PollAsync(TenantStore store, InboundSettingsRow settings, string password, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        using var client = new ImapClient { Timeout = (int)limits.ImapTimeout.TotalMilliseconds };
        var tls = Enum.TryParse<TlsMode>(settings.ImapTlsMode, out var mode) ? mode : TlsMode.Ssl;
        await client.ConnectAsync(settings.ImapHost!, settings.ImapPort!.Value, tls switch
        {
            TlsMode.None => SecureSocketOptions.None,
            TlsMode.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.SslOnConnect,
        }, cancellationToken);
        await client.AuthenticateAsync(settings.ImapUsername!, password, cancellationToken);
        var folder = await client.GetFolderAsync(settings.ImapFolder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var recorded = new ImapPosition(settings.ImapUidValidity, settings.ImapLastUid);
        var found = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)Math.Min(recorded.LastUid + 1, uint.MaxValue)), UniqueId.MaxValue)), cancellationToken);
        var (take, position) = ImapWindow.Select(recorded, folder.UidValidity, found.Select(u => (long)u.Id));
        if (position != recorded)
        {
            await RecordAsync(store, position);
        }

        if (take.Count == 0)
        {
            return;
        }

        var sizes = (await folder.FetchAsync([.. take.Select(u => new UniqueId((uint)u))], MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken))
            .ToDictionary(s => (long)s.UniqueId.Id, s => s.Size ?? 0);
        foreach (var uid in take)
        {
            await TakeAsync(store, folder, settings.ImapUsername!, uid, sizes.GetValueOrDefault(uid), limits.MaxMessageBytes, cancellationToken);
            position = position with { LastUid = uid };
            await RecordAsync(store, position);
        }

        await client.DisconnectAsync(true, cancellationToken);
    }

    private async Task TakeAsync(TenantStore store, IMailFolder folder, string mailbox, long uid, uint size, int maxBytes, CancellationToken cancellationToken)
    {
        if (size > maxBytes)
        {
            logger.LogWarning("Message {Uid} in tenant {Tenant}'s IMAP mailbox is larger than {Max} bytes; skipped.", uid, store.TenantId, maxBytes);
            return;
        }

        using var content = new MemoryStream();
        using (var stream = await folder.GetStreamAsync(new UniqueId((uint)uid), string.Empty, cancellationToken))
        {
            await stream.CopyToAsync(content, cancellationToken);
        }

        var (received, refusal) = ReceivedMail.Parse(content.GetBuffer().AsMemory(0, (int)content.Length), maxBytes);
        if (received is null)
        {
            logger.LogWarning("Message {Uid} in tenant {Tenant}'s IMAP mailbox was skipped: {Refusal}.", uid, store.TenantId, refusal);
            return;
        }

        await intake.TakeAsync(store.TenantId, received, InboundMailSource.Imap, [mailbox.ToLowerInvariant()], cancellationToken);
    }

    private static async Task RecordAsync(TenantStore store, ImapPosition position)
    {
        await using var context = store.CreateContext();
        await context.Set<InboundSettingsRow>().ExecuteUpdateAsync(s => s
            .SetProperty(r => r.ImapUidValidity, position.UidValidity)
            .SetProperty(r => r.ImapLastUid, position.LastUid), CancellationToken.None);
    }
}

/// <summary>Wakes the IMAP poller for a tenant (its mailbox settings changed).</summary>
public sealed class ImapSignal : TenantSignal;
