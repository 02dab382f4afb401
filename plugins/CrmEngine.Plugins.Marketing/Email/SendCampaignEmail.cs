using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// <c>sendCampaignEmail(campaignId)</c>: queues the active e-mail campaign's message, with tracking,
/// to every targeted member through the engine's messaging (purpose "marketing": the messaging
/// service itself refuses people who opted out), marking each one queued as sent. Members the
/// service refuses (no address, opted out) stay targeted and are listed with its code. The messages
/// go out only if the whole call commits, once each.
/// </summary>
internal sealed class SendCampaignEmail(ILinkSigner links) : IPluginOperation
{
    public string Name => "sendCampaignEmail";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Sends an active e-mail campaign's message, with open and click tracking and an unsubscribe link, to its targeted members; they become sent.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("campaignId", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Object("CampaignEmailSent",
        new FieldRef("sent", TypeRef.Int.NonNull(), "Messages queued."),
        new FieldRef("skipped", TypeRef.ListOf(TypeRef.Object("CampaignEmailSkipped",
            new FieldRef("member", TypeRef.Entity(CampaignMemberEntity.Name).NonNull()),
            new FieldRef("code", TypeRef.String.NonNull(), "The messaging service's reason: NO_RECIPIENT_ADDRESS, RECIPIENT_OPTED_OUT, ..."))).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var campaign = await Writes.ExistingAsync(records, CampaignEntity.Name, context.RecordId("campaignId", CampaignEntity.Name), "campaignId", cancellationToken);
        if (campaign.GetValue<string>("type") != "email")
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"Campaign '{campaign.GetValue<string>("name")}' is a {campaign.GetValue<string>("type")} campaign, not an e-mail one.", "campaignId");
        }

        if (campaign.GetValue<string>("status") != "active")
        {
            throw new OperationException(MarketingErrors.InvalidTransition, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; only an active campaign sends.", "campaignId");
        }

        var subject = campaign.GetValue<string>("emailSubject");
        var html = campaign.GetValue<string>("emailBody");
        if (string.IsNullOrWhiteSpace(subject) || string.IsNullOrWhiteSpace(html))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give the campaign an e-mail subject and body first.", string.IsNullOrWhiteSpace(subject) ? "emailSubject" : "emailBody");
        }

        var baseUrl = await context.Settings.GetAsync<string>("trackingBaseUrl", cancellationToken) ?? "http://localhost:5080";
        var (sent, skipped) = (0, new List<Dictionary<string, object?>>());
        await foreach (var member in records.QueryAllAsync(CampaignMemberEntity.Name, Condition.Eq("campaign", campaign.Id).And(Condition.Eq("memberStatus", "targeted")), cancellationToken: cancellationToken))
        {
            if (await SendToAsync(records, context.Messaging, links, context.Identity, baseUrl, campaign, member, cancellationToken) is { } refused)
            {
                skipped.Add(new Dictionary<string, object?> { ["member"] = member, ["code"] = refused });
                continue;
            }

            sent++;
        }

        return new Dictionary<string, object?> { ["sent"] = sent, ["skipped"] = skipped };
    }

    /// <summary>
    /// Queues one targeted member's tracked copy of the campaign's message and marks them sent, keeping
    /// the message's id for the delivery check (<see cref="DeliveryCheckJob"/>); the
    /// messaging service's refusal code (the member stays targeted) when it refuses.
    /// </summary>
    public static async Task<string?> SendToAsync(IRecordApi records, IMessaging messaging, ILinkSigner links, ICrmIdentity identity, string baseUrl, CrmRecord campaign, CrmRecord member, CancellationToken cancellationToken)
    {
        var target = CampaignMemberEntity.Targets.First(t => member.GetValue(t) is Guid);
        var person = await records.GetAsync(target, member.GetValue<Guid>(target), cancellationToken);
        var outcome = await messaging.SendAsync(new OutboundMessage(MessageChannel.Email, target, member.GetValue<Guid>(target), "marketing")
        {
            Subject = campaign.GetValue<string>("emailSubject"),
            Body = Mailing.Body(links, identity, baseUrl, member.Id, campaign.GetValue<string>("emailBody") ?? string.Empty, person?.GetValue<string>("name")),
        }, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Errors[0].Code;
        }

        await Writes.RequireAsync(records.UpdateAsync(CampaignMemberEntity.Name, member.Id, new FieldValues
        {
            ["memberStatus"] = "sent",
            ["messageId"] = outcome.MessageId!.Value.ToString(),
            ["deliveryStatus"] = "queued",
            ["deliveryError"] = null,
        }, cancellationToken: cancellationToken));
        return null;
    }
}
