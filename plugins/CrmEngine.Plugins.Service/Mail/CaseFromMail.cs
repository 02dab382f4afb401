using CrmEngine.Plugins.Service.Common;
using System.Text.RegularExpressions;
using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Plugins.Service.Mail;

/// <summary>
/// E-mail-to-case. A message answering a message of a case (In-Reply-To or References naming one the
/// case holds) or naming a case number in its subject ("Re: [CS-00042] …") is a reply on that case:
/// logged there, it puts a case waiting for the customer back to work, and reopens a resolved case
/// within the reopen period; a reply to a closed case, or to one resolved longer ago, opens a
/// follow-up case. Any other message opens a new case for its sender, who becomes a contact when
/// no contact has that address. Attachments the files service stored stay on the message.
/// </summary>
internal sealed partial class CaseFromMail(TimeProvider time) : IInboundMailHandler
{
    public async Task HandleAsync(IInboundMailContext context, InboundMail mail, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var now = time.GetUtcNow().UtcDateTime;
        var @case = await ThreadAsync(records, mail, cancellationToken);
        if (@case is not null)
        {
            var reopenDays = await context.Settings.GetAsync<long>(ServicePlugin.ReopenWithinDays, cancellationToken);
            var status = @case.GetValue<string>("status");
            var late = status == CaseLifecycle.Closed || (status == CaseLifecycle.Resolved && @case.GetValue<DateTime>("resolvedAt").AddDays(reopenDays) < now);
            if (!late)
            {
                await ReplyAsync(records, @case, mail, now, cancellationToken);
                return;
            }
        }

        var contact = await Customers.ContactAsync(records, mail.From.Address, mail.From.Name, cancellationToken);
        var created = await Require(records.CreateAsync(CaseEntity.Name, new FieldValues
        {
            ["subject"] = string.IsNullOrWhiteSpace(mail.Subject) ? "(no subject)" : Customers.Truncate(mail.Subject, 255),
            ["description"] = mail.Text,
            ["channel"] = "email",
            ["contact"] = contact.Id,
            ["account"] = contact.GetValue("account"),
            ["followUpOf"] = @case?.Id,
            ["receivedAt"] = mail.ReceivedAt <= now ? mail.ReceivedAt : now,
        }, cancellationToken));
        await LogAsync(records, created.Id, mail, cancellationToken);
    }

    /// <summary>The case a message answers: by the Message-IDs it replies to, else by a case number in its subject.</summary>
    private static async Task<CrmRecord?> ThreadAsync(IRecordApi records, InboundMail mail, CancellationToken cancellationToken)
    {
        var answered = new List<object?>();
        if (mail.InReplyTo is { } inReplyTo)
        {
            answered.Add(inReplyTo);
        }

        answered.AddRange(mail.References.Reverse());
        if (answered.Count > 0 && (await records.FindAsync(CaseMessageEntity.Name, Condition.In("messageId", answered), 1, cancellationToken)).FirstOrNull() is { } message)
        {
            return await records.GetAsync(CaseEntity.Name, message.GetValue<Guid>("case"), cancellationToken);
        }

        return CaseNumber().Match(mail.Subject) is { Success: true } number
            ? (await records.FindAsync(CaseEntity.Name, Condition.Eq("number", number.Value.ToUpperInvariant()), 1, cancellationToken)).FirstOrNull()
            : null;
    }

    private static async Task ReplyAsync(IRecordApi records, CrmRecord @case, InboundMail mail, DateTime now, CancellationToken cancellationToken)
    {
        await LogAsync(records, @case.Id, mail, cancellationToken);
        var values = @case.GetValue<string>("status") is CaseLifecycle.PendingCustomer or CaseLifecycle.Resolved
            ? await CaseLifecycle.MoveAsync(records, @case, CaseLifecycle.Open, now, null, cancellationToken)
            : [];
        values["lastCustomerReplyAt"] = now;
        values["awaitingResponseSince"] = @case.GetValue<DateTime?>("awaitingResponseSince") ?? now;

        // After the first answer, each reply the customer writes starts the next response clock (one
        // already running, for an earlier unanswered reply, keeps its due time).
        if (@case.GetValue("firstRespondedAt") is not null && @case.GetValue("nextResponseDueAt") is null)
        {
            foreach (var (field, value) in await SlaTerms.NextResponseAsync(records, @case, now, cancellationToken))
            {
                values[field] = value;
            }
        }

        await Require(records.UpdateAsync(CaseEntity.Name, @case.Id, values, cancellationToken: cancellationToken));
    }

    private static async Task LogAsync(IRecordApi records, Guid caseId, InboundMail mail, CancellationToken cancellationToken) =>
        await Require(records.CreateAsync(CaseMessageEntity.Name, new FieldValues
        {
            ["case"] = caseId,
            ["direction"] = "inbound",
            ["messageId"] = Customers.Truncate(mail.MessageId, 500),
            ["fromAddress"] = mail.From.Address,
            ["subject"] = Customers.Truncate(mail.Subject, 500),
            ["body"] = mail.Text,
            ["html"] = mail.Html,
            ["attachments"] = mail.Attachments.Where(a => a.FileId is not null).Select(a => RecordIds.GlobalId("File", a.FileId!.Value)).ToList(),
            ["at"] = mail.ReceivedAt,
        }, cancellationToken));

    /// <summary>A handler's write must succeed; one refused fails the handler (logged on the inbound entry) with the refusal.</summary>
    private static async Task<CrmRecord> Require(Task<WriteOutcome> write)
    {
        var outcome = await write;
        return outcome.Succeeded
            ? outcome.Record!
            : throw new InvalidOperationException("The service module's write was refused: " + string.Join("; ", outcome.Errors.Select(e => $"{e.Code} {e.Field}: {e.Message}")));
    }

    [GeneratedRegex(@"CS-\d{5,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaseNumber();
}
