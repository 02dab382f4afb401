using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Sms;

/// <summary>
/// <c>sendCampaignSms(campaignId)</c>: queues the active SMS campaign's text (<c>smsText</c>, with the
/// merge fields of <see cref="MergeFields"/>) to every targeted member through the engine's messaging
/// SMS channel (the tenant's HTTP gateway; purpose "marketing", so the service refuses people with
/// <c>doNotSms</c> or who opted out), to the person's mobile or phone. As for e-mail, each one queued
/// becomes sent and the delivery check makes them delivered or bounced (a gateway's 4xx); those refused
/// stay targeted, listed with the code. The messages go out only if the whole call commits.
/// </summary>
internal sealed class SendCampaignSms : IPluginOperation
{
    public string Name => "sendCampaignSms";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Sends an active SMS campaign's text, with each person's merge fields, to its targeted members through the tenant's SMS gateway; they become sent.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("campaignId", TypeRef.Id.NonNull())];

    public TypeRef Result { get; } = CampaignSends.Result("Sms");

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var campaign = await Writes.ExistingAsync(records, CampaignEntity.Name, context.RecordId("campaignId", CampaignEntity.Name), "campaignId", cancellationToken);
        CampaignSends.RequireSending(campaign, "sms", "SMS");
        RequireText(campaign);
        return await CampaignSends.ToTargetedAsync(records, campaign, member => SendToAsync(records, context.Messaging, campaign, member, cancellationToken), cancellationToken);
    }

    /// <summary>Refuses a campaign without its SMS text (INVALID_INPUT).</summary>
    public static void RequireText(CrmRecord campaign)
    {
        if (string.IsNullOrWhiteSpace(campaign.GetValue<string>("smsText")))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give the campaign its SMS text first.", "smsText");
        }
    }

    /// <summary>Queues one targeted member's SMS and marks them sent; the messaging service's refusal code (the member stays targeted) when it refuses.</summary>
    public static async Task<string?> SendToAsync(IRecordApi records, IMessaging messaging, CrmRecord campaign, CrmRecord member, CancellationToken cancellationToken)
    {
        var target = CampaignMemberEntity.Targets.First(t => member.GetValue(t) is Guid);
        var person = await records.GetAsync(target, member.GetValue<Guid>(target), cancellationToken);
        var values = await MergeFields.ValuesAsync(records, target, person, cancellationToken);
        var outcome = await messaging.SendAsync(new OutboundMessage(MessageChannel.Sms, target, member.GetValue<Guid>(target), "marketing")
        {
            Body = MergeFields.Merge(campaign.GetValue<string>("smsText") ?? string.Empty, values, html: false),
        }, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Errors[0].Code;
        }

        await CampaignSends.MarkSentAsync(records, member, outcome.MessageId!.Value, cancellationToken);
        return null;
    }
}
