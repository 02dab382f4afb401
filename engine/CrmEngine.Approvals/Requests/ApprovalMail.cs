using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Messaging.Storage;
using CrmEngine.Sdk.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Approvals.Requests;

/// <summary>
/// E-mails what an approval tells people (a step reaching its approvers, a decision reaching the
/// submitter) through the messaging service, beside the in-app notification: queued in the same
/// write, so a rolled-back decision sends nothing, and sent as a transactional message on the
/// record's timeline. Only when the tenant has an enabled e-mail channel; a user without an address,
/// or an address the channel can't take, gets the in-app notification alone.
/// </summary>
public sealed class ApprovalMail(MessageOutbox outbox, ILogger<ApprovalMail> logger)
{
    private const string EmailChannel = "email";

    public async Task SendAsync(WriteScope scope, IReadOnlyCollection<Guid> users, RecordData record, string subject, string text, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        if (users.Count == 0 || !await context.Set<ChannelSettingsRow>().AnyAsync(c => c.Channel == EmailChannel && c.Enabled, cancellationToken))
        {
            return;
        }

        var addresses = await context.Set<UserRow>().Where(u => users.Contains(u.Id) && u.Active).Select(u => u.Email).ToListAsync(cancellationToken);
        var body = "<p>" + System.Net.WebUtility.HtmlEncode(text) + "</p>";
        foreach (var address in addresses)
        {
            try
            {
                await outbox.EnqueueAsync(scope.Session, [new MessageRequest(MessageChannel.Email, record.Entity.Name, record.Id, Recipients.Transactional, Subject: subject, Body: body, To: address)], cancellationToken);
            }
            catch (CrmException e)
            {
                logger.LogWarning("An approval e-mail to {Address} was not queued ({Code}: {Message}); the in-app notification stands.", address, e.Code, e.Message);
            }
        }
    }
}
