using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// Every minute, asks the engine's messaging how the campaign mails and texts still queued went
/// (<see cref="IMessageDeliveries"/>) and writes it on their members: a mail the server accepted
/// makes a sent member delivered; one it refused for good (an SMTP 5xx, an address that doesn't
/// parse) makes the member bounced, with the server's answer (the status change records the bounce
/// as an interaction); one that failed after every retry is marked failed and left sent. Members
/// already past sent (opened before the check ran) keep their status.
/// </summary>
internal sealed class DeliveryCheckJob(IMessageDeliveries deliveries) : IScheduledJob
{
    public string Name => "delivery-check";

    public string Cron => "* * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<Guid, CrmRecord>();
        await foreach (var member in context.Records.QueryAllAsync(CampaignMemberEntity.Name, Condition.Eq("deliveryStatus", "queued"), cancellationToken: cancellationToken))
        {
            if (Guid.TryParse(member.GetValue<string>("messageId"), out var messageId))
            {
                pending[messageId] = member;
            }
        }

        foreach (var delivery in await deliveries.GetAsync(context.Identity.TenantId, pending.Keys, cancellationToken))
        {
            if (Change(pending[delivery.MessageId], delivery) is { } change)
            {
                await context.Records.UpdateAsync(CampaignMemberEntity.Name, pending[delivery.MessageId].Id, change, cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>What a member's delivery changes on it; null while the message is still queued.</summary>
    private static FieldValues? Change(CrmRecord member, MessageDelivery delivery)
    {
        var status = member.GetValue<string>("memberStatus") ?? "targeted";
        return delivery.Status switch
        {
            DeliveryStatus.Sent => new FieldValues { ["deliveryStatus"] = "sent", ["memberStatus"] = status == "sent" ? "delivered" : status },
            DeliveryStatus.Bounced => new FieldValues
            {
                ["deliveryStatus"] = "bounced",
                ["deliveryError"] = delivery.Error,
                ["memberStatus"] = MemberStatuses.Refusal(status, "bounced") is null ? "bounced" : status,
            },
            DeliveryStatus.Failed => new FieldValues { ["deliveryStatus"] = "failed", ["deliveryError"] = delivery.Error },
            _ => null,
        };
    }
}
