using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Inbound.Storage;
using CrmEngine.Messaging;
using CrmEngine.Messaging.Channels;
using CrmEngine.Messaging.Storage;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CrmEngine.Inbound.Settings;

/// <summary>
/// What an admin sets of the tenant's inbound settings; null members stay as they are.
/// <paramref name="ImapPassword"/> is write-only: an empty string removes it.
/// </summary>
public sealed record InboundSettingsInput(
    IReadOnlyList<string>? Domains = null,
    IReadOnlyList<string>? Addresses = null,
    bool? ImapEnabled = null,
    string? ImapHost = null,
    int? ImapPort = null,
    TlsMode? ImapTlsMode = null,
    string? ImapUsername = null,
    string? ImapPassword = null,
    string? ImapFolder = null);

/// <summary>
/// A tenant's inbound settings, for its admins: the domains and addresses the SMTP listener accepts
/// for it (each claimed by one tenant only), and the IMAP mailbox polled for it, its password kept
/// with outbound messaging's <see cref="ChannelSecrets"/>. Each change is checked whole and refused
/// with typed errors, nothing saved, when any part is wrong.
/// </summary>
public sealed class InboundSettingsService(ChannelSecrets secrets, InboundRoutes routes, TimeProvider time)
{
    /// <summary>The purpose the IMAP password is protected under (beside the outbound channels').</summary>
    public const string ImapSecretPurpose = "imap";

    public async Task<InboundSettingsRow> GetAsync(CrmSession session, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<InboundSettingsRow>().FirstOrDefaultAsync(cancellationToken) ?? new InboundSettingsRow();
    }

    public async Task<InboundSettingsRow> SetAsync(CrmSession session, InboundSettingsInput input, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        var errors = new List<CrmError>();
        var domains = input.Domains is null ? null : Normalize(input.Domains, IsDomain, "domains", "a domain name (example.com)", errors);
        var addresses = input.Addresses is null ? null : Normalize(input.Addresses, IsAddress, "addresses", "an e-mail address", errors);
        await using var context = session.CreateContext();
        var row = await context.Set<InboundSettingsRow>().AsTracking().FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            row = new InboundSettingsRow();
            context.Add(row);
        }

        row.Domains = domains is null ? row.Domains : string.Join(',', domains);
        row.Addresses = addresses is null ? row.Addresses : string.Join(',', addresses);
        errors.AddRange(await routes.ConflictsAsync(session.TenantId, InboundRoutes.Split(row.Domains), InboundRoutes.Split(row.Addresses), cancellationToken));
        var mailbox = (row.ImapHost, row.ImapPort, row.ImapUsername, row.ImapFolder);
        row.ImapEnabled = input.ImapEnabled ?? row.ImapEnabled;
        row.ImapHost = input.ImapHost is null ? row.ImapHost : Blank(input.ImapHost);
        row.ImapPort = input.ImapPort ?? row.ImapPort;
        row.ImapTlsMode = input.ImapTlsMode?.ToString() ?? row.ImapTlsMode;
        row.ImapUsername = input.ImapUsername is null ? row.ImapUsername : Blank(input.ImapUsername);
        row.ImapFolder = input.ImapFolder is null ? row.ImapFolder : input.ImapFolder.Trim();
        if (input.ImapPassword is not null)
        {
            row.ImapSecret = input.ImapPassword.Length == 0 ? null : secrets.Protect(session.TenantId, ImapSecretPurpose, input.ImapPassword);
        }

        if (mailbox != (row.ImapHost, row.ImapPort, row.ImapUsername, row.ImapFolder))
        {
            // Another mailbox: its UIDs say nothing about the last one's.
            (row.ImapUidValidity, row.ImapLastUid, row.ImapError) = (0, 0, null);
        }

        CheckImap(row, errors);
        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        row.UpdatedAt = time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        routes.Invalidate();
        return row;
    }

    private static void CheckImap(InboundSettingsRow row, List<CrmError> errors)
    {
        if (!row.ImapEnabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(row.ImapHost))
        {
            errors.Add(new CrmError(ErrorCodes.Required, "IMAP polling needs the server's host.", "imapHost"));
        }

        if (row.ImapPort is not (>= 1 and <= 65535))
        {
            errors.Add(new CrmError(ErrorCodes.OutOfRange, "The IMAP port is from 1 to 65535.", "imapPort"));
        }

        if (row.ImapUsername is null || row.ImapSecret is null)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "IMAP polling needs the mailbox's username and password.", row.ImapUsername is null ? "imapUsername" : "imapPassword"));
        }

        if (row.ImapFolder.Length == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "IMAP polling needs the folder to read (INBOX).", "imapFolder"));
        }
    }

    private static List<string> Normalize(IReadOnlyList<string> values, Func<string, bool> valid, string field, string what, List<CrmError> errors)
    {
        var normalized = new List<string>();
        foreach (var value in values.Select(v => v.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            if (valid(value))
            {
                normalized.Add(value);
            }
            else
            {
                errors.Add(new CrmError(ErrorCodes.InvalidValue, $"'{value}' is not {what}.", field));
            }
        }

        return normalized;
    }

    private static bool IsDomain(string value) =>
        value.Length is > 0 and <= 253 && value.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(value) == UriHostNameType.Dns;

    private static bool IsAddress(string value) =>
        MailboxAddress.TryParse(value, out var mailbox) && mailbox.Address == value && value.IndexOf('@', StringComparison.Ordinal) is > 0 && IsDomain(mailbox.Domain);

    private static string? Blank(string value) => value.Trim().Length == 0 ? null : value.Trim();
}
