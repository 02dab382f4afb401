using CrmEngine.Sdk.Messaging;
using CrmEngine.Engine;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Errors;
using CrmEngine.Messaging.Storage;
using CrmEngine.Messaging.Templates;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CrmEngine.Messaging.Channels;

/// <summary>
/// What an admin sets on a channel; null members stay as they are. <paramref name="Secret"/> is
/// write-only (the SMTP password, or the HTTP channels' Authorization header value / signing secret):
/// an empty string removes it.
/// </summary>
public sealed record ChannelSettingsInput(
    MessageChannel Channel,
    bool? Enabled = null,
    string? Host = null,
    int? Port = null,
    TlsMode? TlsMode = null,
    string? Username = null,
    string? Secret = null,
    string? FromAddress = null,
    string? Url = null,
    string? BodyTemplate = null,
    int? DailyCap = null,
    int? PerSecond = null);

/// <summary>
/// A tenant's sender settings per channel, for its admins. Each change is checked whole (an e-mail
/// channel needs a host, a port and a From address; the HTTP channels an http(s) URL; a body template
/// valid Liquid) and refused with typed errors, nothing saved, when any part is wrong.
/// </summary>
public sealed class ChannelSettingsService(ChannelSecrets secrets, TimeProvider time)
{
    public async Task<IReadOnlyList<ChannelSettingsRow>> ListAsync(CrmSession session, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<ChannelSettingsRow>().OrderBy(c => c.Channel).ToListAsync(cancellationToken);
    }

    public async Task<ChannelSettingsRow> SetAsync(CrmSession session, ChannelSettingsInput input, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        var channel = input.Channel.ToString().ToLowerInvariant();
        await using var context = session.CreateContext();
        var row = await context.Set<ChannelSettingsRow>().AsTracking().FirstOrDefaultAsync(c => c.Channel == channel, cancellationToken);
        if (row is null)
        {
            row = new ChannelSettingsRow { Channel = channel, Enabled = true };
            context.Add(row);
        }

        row.Enabled = input.Enabled ?? row.Enabled;
        row.Host = input.Host ?? row.Host;
        row.Port = input.Port ?? row.Port;
        row.TlsMode = input.TlsMode?.ToString() ?? row.TlsMode;
        row.Username = input.Username is null ? row.Username : Blank(input.Username);
        row.FromAddress = input.FromAddress ?? row.FromAddress;
        row.Url = input.Url ?? row.Url;
        row.BodyTemplate = input.BodyTemplate is null ? row.BodyTemplate : Blank(input.BodyTemplate);
        row.DailyCap = input.DailyCap ?? row.DailyCap;
        row.PerSecond = input.PerSecond ?? row.PerSecond;
        if (input.Secret is not null)
        {
            row.Secret = input.Secret.Length == 0 ? null : secrets.Protect(session.TenantId, channel, input.Secret);
        }

        Check(input.Channel, row);
        row.UpdatedAt = time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    private static void Check(MessageChannel channel, ChannelSettingsRow row)
    {
        var errors = new List<CrmError>();
        if (channel == MessageChannel.Email)
        {
            if (string.IsNullOrWhiteSpace(row.Host))
            {
                errors.Add(new CrmError(ErrorCodes.Required, "The e-mail channel needs the SMTP server's host.", "host"));
            }

            if (row.Port is not (>= 1 and <= 65535))
            {
                errors.Add(new CrmError(ErrorCodes.OutOfRange, "The SMTP port is from 1 to 65535.", "port"));
            }

            if (row.FromAddress is null || !MailboxAddress.TryParse(row.FromAddress, out _))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidValue, "The From address is an e-mail address (optionally \"Name <address>\").", "fromAddress"));
            }
        }
        else if (!Uri.TryCreate(row.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidValue, "The channel needs the absolute http(s) URL messages are posted to.", "url"));
        }

        if (TemplateRenderer.Check(row.BodyTemplate) is { } error)
        {
            errors.Add(new CrmError(ErrorCodes.TemplateInvalid, "The body template is not valid Liquid: " + error, "bodyTemplate"));
        }

        if (row.DailyCap < 0 || row.PerSecond < 0)
        {
            errors.Add(new CrmError(ErrorCodes.OutOfRange, "Caps and throttles are 0 (none) or more.", row.DailyCap < 0 ? "dailyCap" : "perSecond"));
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }
    }

    private static string? Blank(string value) => value.Length == 0 ? null : value;
}
