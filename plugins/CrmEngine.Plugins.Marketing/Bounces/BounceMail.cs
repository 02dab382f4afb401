using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Plugins.Marketing.Bounces;

/// <summary>
/// Bounces that come back by mail: a delivery status notification (RFC 3464, the SDK's
/// <see cref="DeliveryReport"/>) about a campaign mail, sent by a mail server to the tenant's inbound
/// address after it had accepted the mail. The report's returned Message-ID names the message, and so
/// the member who got it (<see cref="ReturnedMail"/>). A permanent failure (5.x.x) bounces the member
/// at once, with the status and the server's answer as the delivery error (the status move records
/// the <c>bounced</c> interaction). A transient one (4.x.x) is a <c>softBounced</c> interaction on the
/// person's timeline and changes nothing, until the member has <c>softBounceLimit</c> of them: that
/// one bounces the member. Reports about other mail, successful deliveries, and members already past
/// delivered (opened, unsubscribed, bounced) change nothing. The engine hands each report over once.
/// </summary>
internal sealed class BounceMail : IInboundMailHandler
{
    public async Task HandleAsync(IInboundMailContext context, InboundMail mail, CancellationToken cancellationToken)
    {
        if (mail.DeliveryReport is not { } report
            || (report.Recipients.FirstOrDefault(r => r.IsPermanent && r.Action == "failed") ?? report.Recipients.FirstOrDefault(r => r.IsTransient && r.Action is "failed" or "delayed")) is not { } failure
            || await ReturnedMail.MemberAsync(context.Records, report.OriginalMessageId, cancellationToken) is not { } member
            || MemberStatuses.Refusal(member.GetValue<string>("memberStatus") ?? "targeted", "bounced") is not null)
        {
            return;
        }

        var records = context.Records;
        var error = Cut($"{failure.Status} {failure.Diagnostic}".Trim());
        if (failure.IsTransient)
        {
            var limit = Math.Max(1, await context.Settings.GetAsync<long>("softBounceLimit", cancellationToken));
            var earlier = await records.CountAsync(InteractionEntity.Name, Condition.Eq("campaignMember", member.Id).And(Condition.Eq("kind", "softBounced")), cancellationToken);
            if (earlier + 1 < limit)
            {
                var person = CampaignMemberEntity.Targets.First(t => member.GetValue(t) is Guid);
                await InteractionLog.RecordAsync(records, "softBounced", person, member.GetValue<Guid>(person), mail.ReceivedAt,
                    new InteractionFacts(member.GetValue<Guid>("campaign"), member.Id, Detail: error), cancellationToken);
                return;
            }

            error = Cut($"{earlier + 1} soft bounces; last: {error}");
        }

        await records.UpdateAsync(CampaignMemberEntity.Name, member.Id, new FieldValues
        {
            ["memberStatus"] = "bounced",
            ["deliveryStatus"] = "bounced",
            ["deliveryError"] = error,
        }, cancellationToken: cancellationToken);
    }

    private static string Cut(string text) => text.Length > 500 ? text[..500] : text;
}
