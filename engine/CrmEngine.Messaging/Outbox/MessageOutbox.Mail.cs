using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Messaging.Storage;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// An e-mail the engine sends about something that is not a record (a scheduled report's delivery):
/// to an address, under <paramref name="Purpose"/>, with a literal subject and HTML body, carrying
/// stored files under the names and types given. <paramref name="About"/> and <paramref name="AboutId"/>
/// name what it concerns in the log (e.g. <c>report</c> and the report's id); they are no entity, so the
/// message is on no record's timeline and only admins see it in the log.
/// </summary>
public sealed record EngineMail(string About, Guid AboutId, string Purpose, string To, string Subject, string Html, IReadOnlyList<MessageAttachment> Attachments);

public sealed partial class MessageOutbox
{
    /// <summary>
    /// Queues <paramref name="mails"/> as the session (their files must be the session's), all or none.
    /// There is no recipient record, so no consent fields to read: the recipients asked for these
    /// messages (they are the subscriber's choice), as for any transactional message.
    /// </summary>
    public async Task<IReadOnlyList<MessageRow>> EnqueueMailAsync(CrmSession session, IReadOnlyList<EngineMail> mails, CancellationToken cancellationToken)
    {
        if (mails.Count > MaxBatch)
        {
            throw new CrmException(ErrorCodes.TooManyItems, $"At most {MaxBatch} messages are queued at once.");
        }

        var now = time.UtcNow();
        var rows = new List<MessageRow>(mails.Count);
        foreach (var mail in mails)
        {
            if (mail.Attachments.Count > MaxAttachments)
            {
                throw new CrmException(ErrorCodes.TooManyItems, $"A message carries at most {MaxAttachments} files.", "attachments");
            }

            var (html, text) = renderer.SanitizeWithText(mail.Html);
            rows.Add(new MessageRow
            {
                Id = Guid.CreateVersion7(),
                Channel = nameof(MessageChannel.Email).ToLowerInvariant(),
                Purpose = mail.Purpose,
                Entity = mail.About,
                RecordId = mail.AboutId,
                Recipient = mail.To,
                Language = string.Empty,
                Subject = mail.Subject.Trim(),
                Html = html,
                Text = text,
                Attachments = MessageAttachments.Write(mail.Attachments),
                Status = nameof(MessageStatus.Queued),
                NextAttemptAt = now,
                CreatedBy = session.OnBehalfOf ?? session.Principal.UserId,
                CreatedAt = now,
            });
        }

        await SaveAsync(session, rows, cancellationToken);
        return rows;
    }
}
