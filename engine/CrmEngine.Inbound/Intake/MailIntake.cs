using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files;
using CrmEngine.Inbound.Storage;
using CrmEngine.Messaging.Templates;
using CrmEngine.Sdk.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CrmEngine.Inbound.Intake;

/// <summary>
/// Takes a received message into a tenant, once: the log entry's unique Message-ID is the claim (a
/// second delivery — a sender's retry, a second poll, another host — finds it and does nothing), then
/// the attachments are stored through the files service, and the parsed message is handed to the
/// plugins' handlers. What was refused (too large, malformed, for no tenant) never gets here.
/// The log entry's writes take their turn with the store's other writes (<see cref="TenantStore.SaveAsync"/>):
/// on SQLite, a write outside the turn collides with the writers' open transaction and sleeps in
/// the driver's busy retry, which was most of an inbound message's time.
/// </summary>
public sealed class MailIntake(TenantRegistry tenants, FilesService files, TemplateRenderer renderer, InboundHandlers handlers, TimeProvider time, ILogger<MailIntake> logger)
{
    /// <summary>True when the message was taken in; false when the tenant had it already.</summary>
    public async Task<bool> TakeAsync(string tenantId, ReceivedMail received, InboundMailSource source, IReadOnlyList<string> deliveredTo, CancellationToken cancellationToken)
    {
        var store = await tenants.GetAsync(tenantId, cancellationToken);
        var message = received.Message;
        var row = new InboundMessageRow
        {
            Id = Guid.CreateVersion7(),
            MessageKey = received.Key,
            Source = source.ToString().ToLowerInvariant(),
            FromAddress = received.From.Address,
            DeliveredTo = string.Join(',', deliveredTo),
            Subject = message.Subject ?? string.Empty,
            InReplyTo = message.InReplyTo,
            References = message.References.Count == 0 ? null : string.Join(' ', message.References),
            Size = received.Size,
            ReceivedAt = time.UtcNow(),
        };
        if (!await ClaimAsync(store, row, cancellationToken))
        {
            return false;
        }

        var session = new CrmSession(store, CrmPrincipal.System(tenantId));
        var attachments = await StoreAttachmentsAsync(session, message, cancellationToken);
        var mail = Describe(row, received, source, deliveredTo, attachments);
        var (handled, errors) = await handlers.DispatchAsync(store, mail, cancellationToken);
        await using var context = store.CreateContext();
        context.Attach(row);
        row.Attachments = attachments.Count;
        row.Handlers = handled;
        row.HandlerErrors = errors;
        await store.SaveAsync(context, CancellationToken.None);
        return true;
    }

    /// <summary>Writes the log entry; false when one with the same key is there (or another host wrote it first).</summary>
    private static async Task<bool> ClaimAsync(TenantStore store, InboundMessageRow row, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        if (await context.Set<InboundMessageRow>().AnyAsync(m => m.MessageKey == row.MessageKey, cancellationToken))
        {
            return false;
        }

        context.Add(row);
        try
        {
            await store.SaveAsync(context, cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The unique key: someone else took the same message in between.
            return false;
        }
    }

    private async Task<List<MailAttachment>> StoreAttachmentsAsync(CrmSession session, MimeMessage message, CancellationToken cancellationToken)
    {
        var stored = new List<MailAttachment>();
        foreach (var part in message.Attachments)
        {
            using var content = new MemoryStream();
            string name;
            if (part is MimePart mime)
            {
                if (mime.Content is { } body)
                {
                    await body.DecodeToAsync(content, cancellationToken);
                }

                name = mime.FileName ?? "attachment";
            }
            else
            {
                if (((MessagePart)part).Message is { } attached)
                {
                    await attached.WriteToAsync(content, cancellationToken);
                }

                name = "message.eml";
            }

            var size = content.Length;
            content.Position = 0;
            try
            {
                var file = await files.StoreAsync(session, content, name, cancellationToken);
                stored.Add(new MailAttachment(file.Name, file.ContentType, size, file.Id));
            }
            catch (CrmException e)
            {
                // The tenant's file limits refuse it (too large, a type not allowed): listed, not kept.
                logger.LogInformation("An attachment '{Name}' of an inbound message to tenant {Tenant} was not kept: {Reason}", name, session.TenantId, e.Message);
                stored.Add(new MailAttachment(name, part.ContentType.MimeType, size, null));
            }
        }

        return stored;
    }

    private InboundMail Describe(InboundMessageRow row, ReceivedMail received, InboundMailSource source, IReadOnlyList<string> deliveredTo, IReadOnlyList<MailAttachment> attachments)
    {
        var message = received.Message;
        var html = message.HtmlBody is { } body ? renderer.Sanitize(body) : null;
        return new InboundMail
        {
            Id = row.Id,
            Source = source,
            MessageId = row.MessageKey,
            InReplyTo = message.InReplyTo,
            References = [.. message.References],
            From = Address(received.From),
            To = [.. message.To.Mailboxes.Select(Address)],
            Cc = [.. message.Cc.Mailboxes.Select(Address)],
            DeliveredTo = deliveredTo,
            Subject = row.Subject,
            Text = message.TextBody?.Trim() ?? (html is null ? string.Empty : PlainText.FromHtml(html)),
            Html = html,
            Attachments = attachments,
            SentAt = message.Date == DateTimeOffset.MinValue ? row.ReceivedAt : message.Date.UtcDateTime,
            ReceivedAt = DateTime.SpecifyKind(row.ReceivedAt, DateTimeKind.Utc),
            DeliveryReport = DeliveryReports.Read(message),
        };
    }

    private static MailAddress Address(MailboxAddress mailbox) => new(mailbox.Address, string.IsNullOrEmpty(mailbox.Name) ? null : mailbox.Name);
}
