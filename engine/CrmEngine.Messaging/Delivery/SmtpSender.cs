using CrmEngine.Sdk.Messaging;
using System.Net.Sockets;
using CrmEngine.Files.Storage;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Messaging.Storage;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CrmEngine.Messaging.Delivery;

/// <summary>
/// E-mail over SMTP with MailKit: the messages are shared among up to <see cref="MessagingOptions.Concurrency"/>
/// connections, each sending its share one after the other. A 5xx reply bounces the message, a 4xx
/// or a broken connection leaves it for a retry (the next message reconnects). Each message carries
/// <c>Message-ID: &lt;{id}@crmengine&gt;</c>, so a receiver sees the same id on a resend. A message's
/// attachments are read from the file storage as it is sent; one whose file is gone for good bounces.
/// </summary>
public sealed class SmtpSender(IOptions<MessagingOptions> options, IFileStorage files) : IChannelSender
{
    public MessageChannel Channel => MessageChannel.Email;

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(string tenantId, ChannelConfig config, IReadOnlyList<MessageRow> messages, CancellationToken cancellationToken)
    {
        var outcomes = new SendOutcome[messages.Count];
        var lanes = Math.Clamp(options.Value.Concurrency, 1, Math.Max(1, messages.Count));
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => SendLaneAsync(tenantId, config, messages, outcomes, lane, lanes, cancellationToken)));
        return outcomes;
    }

    private async Task SendLaneAsync(string tenantId, ChannelConfig config, IReadOnlyList<MessageRow> messages, SendOutcome[] outcomes, int lane, int lanes, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)options.Value.Timeout.TotalMilliseconds };
        var from = MailboxAddress.Parse(config.Settings.FromAddress!);
        try
        {
            for (var i = lane; i < messages.Count; i += lanes)
            {
                outcomes[i] = await SendOneAsync(tenantId, client, config, from, messages[i], cancellationToken);
            }
        }
        finally
        {
            if (client.IsConnected)
            {
                await DisconnectQuietlyAsync(client);
            }
        }
    }

    private async Task<SendOutcome> SendOneAsync(string tenantId, SmtpClient client, ChannelConfig config, MailboxAddress from, MessageRow message, CancellationToken cancellationToken)
    {
        if (!MailboxAddress.TryParse(message.Recipient, out var to))
        {
            return new SendOutcome(SendResult.Permanent, Error: $"'{message.Recipient}' is not an e-mail address.");
        }

        try
        {
            if (!client.IsConnected)
            {
                await ConnectAsync(client, config, cancellationToken);
            }

            using var mime = await MimeAsync(tenantId, from, to, message, cancellationToken);
            if (mime is null)
            {
                return new SendOutcome(SendResult.Permanent, Error: "A file it carries is no longer stored.");
            }

            var answer = await client.SendAsync(mime, cancellationToken);
            return new SendOutcome(SendResult.Sent, ProviderId: Truncate(answer));
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var error = Truncate($"SMTP {code}: {e.Message}");
            return code >= 500 ? new SendOutcome(SendResult.Permanent, Error: error) : new SendOutcome(SendResult.Transient, Error: error);
        }
        catch (AuthenticationException e)
        {
            await DisconnectQuietlyAsync(client);
            return new SendOutcome(SendResult.Transient, Error: Truncate("The SMTP server refused the channel's credentials: " + e.Message));
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or SslHandshakeException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await DisconnectQuietlyAsync(client);
            return new SendOutcome(SendResult.Transient, Error: Truncate("The SMTP connection failed: " + e.Message));
        }
    }

    private static async Task ConnectAsync(SmtpClient client, ChannelConfig config, CancellationToken cancellationToken)
    {
        var settings = config.Settings;
        var security = Enum.TryParse<TlsMode>(settings.TlsMode, out var mode) ? mode : TlsMode.StartTls;
        await client.ConnectAsync(settings.Host ?? string.Empty, settings.Port ?? 25, security switch
        {
            TlsMode.None => SecureSocketOptions.None,
            TlsMode.Ssl => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        }, cancellationToken);
        if (settings.Username is { } user)
        {
            await client.AuthenticateAsync(user, config.Secret ?? string.Empty, cancellationToken);
        }
    }

    /// <summary>The e-mail, with its attachments' content; null when a file it carries is gone.</summary>
    private async Task<MimeMessage?> MimeAsync(string tenantId, MailboxAddress from, MailboxAddress to, MessageRow message, CancellationToken cancellationToken)
    {
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (var attachment in MessageAttachments.Read(message))
        {
            await using var content = await files.OpenAsync(tenantId, attachment.Id, cancellationToken);
            if (content is null)
            {
                return null;
            }

            // Buffered: MimeKit writes the part when the message is sent, after this stream is closed.
            await body.Attachments.AddAsync(attachment.Name, content, ContentType.Parse(attachment.ContentType), cancellationToken);
        }

        var mime = new MimeMessage([from], [to], message.Subject ?? string.Empty, body.ToMessageBody())
        {
            MessageId = message.Id.ToString("N") + "@crmengine",
            Date = message.CreatedAt,
        };
        foreach (var (name, value) in MessageHeaders.Read(message))
        {
            mime.Headers.Add(name, value);
        }

        mime.Headers.Add("X-Crm-Message", message.Id.ToString());
        return mime;
    }

    private static async Task DisconnectQuietlyAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: client.IsConnected, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or SmtpCommandException)
        {
        }
    }

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] : text;
}
