using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Plugins.Marketing.Bounces;

/// <summary>
/// The mailto half of a marketing mail's <c>List-Unsubscribe</c> header: a mail to the tenant's
/// <c>unsubscribeAddress</c> whose subject is <c>unsubscribe {member id}</c>, as a mail client writes
/// it from the header, unsubscribes that member, when it comes from the member's own address (so
/// nobody unsubscribes someone else by naming their member id). Anything else sent there (a test
/// send's <c>unsubscribe test</c>, another sender, an unknown member) changes nothing; a member
/// already unsubscribed or bounced stays as it is.
/// </summary>
internal sealed class UnsubscribeMail : IInboundMailHandler
{
    private const string Prefix = "unsubscribe ";

    public async Task HandleAsync(IInboundMailContext context, InboundMail mail, CancellationToken cancellationToken)
    {
        var mailbox = await context.Settings.GetAsync<string>("unsubscribeAddress", cancellationToken);
        if (mail.DeliveryReport is not null || string.IsNullOrWhiteSpace(mailbox)
            || !mail.DeliveredTo.Concat(mail.To.Select(t => t.Address)).Contains(mailbox.Trim(), StringComparer.OrdinalIgnoreCase)
            || !mail.Subject.Trim().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !Guid.TryParse(mail.Subject.Trim()[Prefix.Length..], out var memberId)
            || await context.Records.GetAsync(CampaignMemberEntity.Name, memberId, cancellationToken) is not { } member
            || MemberStatuses.Refusal(member.GetValue<string>("memberStatus") ?? "targeted", "unsubscribed") is not null)
        {
            return;
        }

        var entity = CampaignMemberEntity.Targets.First(t => member.GetValue(t) is Guid);
        var person = await context.Records.GetAsync(entity, member.GetValue<Guid>(entity), cancellationToken);
        if (!string.Equals(person?.GetValue<string>("email")?.Trim(), mail.From.Address, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        await context.Records.UpdateAsync(CampaignMemberEntity.Name, member.Id, new FieldValues { ["memberStatus"] = "unsubscribed" }, cancellationToken: cancellationToken);
    }
}
