using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>
/// What sending a campaign's message (e-mail or SMS) to its members shares: only an active campaign of
/// the channel's type sends; each targeted member gets their own copy through the engine's messaging,
/// and one it queued for becomes sent with the message's id kept for the delivery check; one it refuses
/// stays targeted and is listed with the refusal's code.
/// </summary>
internal static class CampaignSends
{
    /// <summary>Refuses a campaign that is not of <paramref name="type"/> (INVALID_INPUT) or not active (MKT_INVALID_TRANSITION).</summary>
    public static void RequireSending(CrmRecord campaign, string type, string noun)
    {
        if (campaign.GetValue<string>("type") != type)
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"Campaign '{campaign.GetValue<string>("name")}' is a {campaign.GetValue<string>("type")} campaign, not an {noun} one.", "campaignId");
        }

        if (campaign.GetValue<string>("status") != "active")
        {
            throw new OperationException(MarketingErrors.InvalidTransition, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; only an active campaign sends.", "campaignId");
        }
    }

    /// <summary>Sends to every targeted member with <paramref name="send"/> (the refusal's code, or null when queued); the operation's result.</summary>
    public static async Task<Dictionary<string, object?>> ToTargetedAsync(IRecordApi records, CrmRecord campaign, Func<CrmRecord, Task<string?>> send, CancellationToken cancellationToken)
    {
        var (sent, skipped) = (0, new List<Dictionary<string, object?>>());
        await foreach (var member in records.QueryAllAsync(CampaignMemberEntity.Name, Condition.Eq("campaign", campaign.Id).And(Condition.Eq("memberStatus", "targeted")), cancellationToken: cancellationToken))
        {
            if (await send(member) is { } refused)
            {
                skipped.Add(new Dictionary<string, object?> { ["member"] = member, ["code"] = refused });
                continue;
            }

            sent++;
        }

        return new Dictionary<string, object?> { ["sent"] = sent, ["skipped"] = skipped };
    }

    /// <summary>Marks a member sent, keeping the message's id for the delivery check.</summary>
    public static Task<CrmRecord> MarkSentAsync(IRecordApi records, CrmRecord member, Guid messageId, CancellationToken cancellationToken) =>
        Writes.RequireAsync(records.UpdateAsync(CampaignMemberEntity.Name, member.Id, new FieldValues
        {
            ["memberStatus"] = "sent",
            ["messageId"] = messageId.ToString(),
            ["deliveryStatus"] = "queued",
            ["deliveryError"] = null,
        }, cancellationToken: cancellationToken));

    /// <summary>The result type of a send operation, named for its channel.</summary>
    public static TypeRef Result(string channel) => TypeRef.Object($"Campaign{channel}Sent",
        new FieldRef("sent", TypeRef.Int.NonNull(), "Messages queued."),
        new FieldRef("skipped", TypeRef.ListOf(TypeRef.Object($"Campaign{channel}Skipped",
            new FieldRef("member", TypeRef.Entity(CampaignMemberEntity.Name).NonNull()),
            new FieldRef("code", TypeRef.String.NonNull(), "The messaging service's reason: NO_RECIPIENT_ADDRESS, RECIPIENT_OPTED_OUT, ..."))).NonNull())).NonNull();
}
