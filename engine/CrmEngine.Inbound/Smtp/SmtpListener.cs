using System.Buffers;
using System.Net;
using CrmEngine.Inbound.Intake;
using CrmEngine.Inbound.Settings;
using CrmEngine.Sdk.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CrmEngine.Inbound.Smtp;

/// <summary>
/// The host's SMTP listener (the SmtpServer package), when <see cref="SmtpListenerOptions.Enabled"/>:
/// a recipient no tenant accepts is refused at RCPT (550), a message over the size limit with 552, a
/// malformed one with 554, each before anything is stored; an accepted message is taken into every
/// tenant it is for, and answered 250 only once it is (a duplicate is answered 250 too, so the sender
/// stops retrying).
/// </summary>
public sealed class SmtpListener(InboundRoutes routes, MailIntake intake, IOptions<InboundOptions> options, ILogger<SmtpListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Smtp.Enabled)
        {
            return;
        }

        var server = new SmtpServerOptionsBuilder()
            .ServerName(settings.Smtp.ServerName)
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Parse(settings.Smtp.Address), settings.Smtp.Port)))
            .MaxMessageSize(settings.MaxMessageBytes, MaxMessageSizeHandling.Strict)
            .Build();
        var services = new ServiceProvider();
        services.Add((IMailboxFilter)new Recipients(routes));
        services.Add((IMessageStore)new Store(this));
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new NoDelayEndpointListenerFactory());
        logger.LogInformation("Receiving e-mail over SMTP on {Address}:{Port}.", settings.Smtp.Address, settings.Smtp.Port);
        try
        {
            await new SmtpServer.SmtpServer(server, services).StartAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes a message for its accepted recipients' tenants; the SMTP reply.</summary>
    internal async Task<SmtpResponse> ReceiveAsync(IReadOnlyList<string> recipients, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var (received, refusal) = ReceivedMail.Parse(buffer.ToArray(), options.Value.MaxMessageBytes);
        if (received is null)
        {
            return refusal == MailRefusal.TooLarge
                ? new SmtpResponse(SmtpReplyCode.SizeLimitExceeded, "5.3.4 Message too big")
                : new SmtpResponse(SmtpReplyCode.TransactionFailed, "5.6.0 Malformed message: it needs headers and a From address");
        }

        var byTenant = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var recipient in recipients)
        {
            if (await routes.TenantOfAsync(recipient, cancellationToken) is { } tenant)
            {
                (byTenant.TryGetValue(tenant, out var list) ? list : byTenant[tenant] = []).Add(recipient.ToLowerInvariant());
            }
        }

        if (byTenant.Count == 0)
        {
            // Every recipient's tenant stopped accepting the domain since RCPT.
            return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such recipient here");
        }

        try
        {
            foreach (var (tenant, delivered) in byTenant)
            {
                await intake.TakeAsync(tenant, received, InboundMailSource.Smtp, delivered, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "An inbound message ({MessageId}) could not be taken in; the sender is asked to try again.", received.Key);
            return new SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later");
        }

        return SmtpResponse.Ok;
    }

    private static string Of(IMailbox mailbox) => mailbox.User + "@" + mailbox.Host;

    /// <summary>RCPT: accepted only for an address some tenant accepts.</summary>
    private sealed class Recipients(InboundRoutes routes) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            await routes.TenantOfAsync(Of(to), cancellationToken) is not null;
    }

    private sealed class Store(SmtpListener listener) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken) =>
            listener.ReceiveAsync([.. transaction.To.Select(Of)], buffer, cancellationToken);
    }
}
