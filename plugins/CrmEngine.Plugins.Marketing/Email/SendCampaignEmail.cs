using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Endpoints;
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

    public TypeRef Result { get; } = CampaignSends.Result("Email");

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var campaign = await Writes.ExistingAsync(records, CampaignEntity.Name, context.RecordId("campaignId", CampaignEntity.Name), "campaignId", cancellationToken);
        CampaignSends.RequireSending(campaign, "email", "e-mail");
        RequireMessage(campaign);
        var mail = await MailSetup.LoadAsync(links, context.Identity, context.Settings, cancellationToken);
        return await CampaignSends.ToTargetedAsync(records, campaign, member => SendToAsync(records, context.Messaging, mail, campaign, member, cancellationToken), cancellationToken);
    }

    /// <summary>Refuses a campaign without its mail's subject and body, or with half an English variant (INVALID_INPUT on the missing field).</summary>
    public static void RequireMessage(CrmRecord campaign)
    {
        var subject = campaign.GetValue<string>("emailSubject");
        var html = campaign.GetValue<string>("emailBody");
        if (string.IsNullOrWhiteSpace(subject) || string.IsNullOrWhiteSpace(html))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give the campaign an e-mail subject and body first.", string.IsNullOrWhiteSpace(subject) ? "emailSubject" : "emailBody");
        }

        if (string.IsNullOrWhiteSpace(campaign.GetValue<string>("emailSubjectEn")) != string.IsNullOrWhiteSpace(campaign.GetValue<string>("emailBodyEn")))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "An English variant needs both its subject and its body.", string.IsNullOrWhiteSpace(campaign.GetValue<string>("emailSubjectEn")) ? "emailSubjectEn" : "emailBodyEn");
        }
    }

    /// <summary>
    /// Queues one targeted member's tracked copy of the campaign's message and marks them sent, keeping
    /// the message's id for the delivery check (<see cref="DeliveryCheckJob"/>); the
    /// messaging service's refusal code (the member stays targeted) when it refuses.
    /// </summary>
    public static async Task<string?> SendToAsync(IRecordApi records, IMessaging messaging, MailSetup mail, CrmRecord campaign, CrmRecord member, CancellationToken cancellationToken)
    {
        var target = CampaignMemberEntity.Targets.First(t => member.GetValue(t) is Guid);
        var person = await records.GetAsync(target, member.GetValue<Guid>(target), cancellationToken);
        var values = await MergeFields.ValuesAsync(records, target, person, cancellationToken);
        var (subject, body, _) = MailVariant.Of(campaign, person);
        var outcome = await messaging.SendAsync(new OutboundMessage(MessageChannel.Email, target, member.GetValue<Guid>(target), "marketing")
        {
            Subject = MergeFields.Merge(subject, values, html: false),
            Body = mail.Body(member.Id.ToString(), body, values),
            Headers = mail.Headers(member.Id.ToString()),
        }, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Errors[0].Code;
        }

        await CampaignSends.MarkSentAsync(records, member, outcome.MessageId!.Value, cancellationToken);
        return null;
    }
}
