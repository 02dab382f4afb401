using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>
/// Keeps memberships sound on every write: one person per membership (a lead, a contact or an
/// account, fixed once added), once per campaign, none added to a finished campaign; the status
/// moves as <see cref="MemberStatuses"/> allows, and the response time, the touch attribution
/// counts, is stamped once when the member first responds (an earlier time may be given for a
/// response recorded late, never a future one) and fixed after that.
/// </summary>
internal sealed class MemberHooks : IBeforeRecordHook
{
    public string Entity => CampaignMemberEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Create)
        {
            await CheckNewAsync(record, cancellationToken);
        }
        else if (CampaignMemberEntity.Targets.Append("campaign").FirstOrDefault(record.IsChanging) is { } fixedField)
        {
            throw new OperationException(MarketingErrors.MemberTarget, "A membership's campaign and person are fixed; add the person to the other campaign instead.", fixedField);
        }

        var status = record.GetValue("memberStatus") as string ?? "targeted";
        if (record.Operation == RecordOperations.Update && record.IsChanging("memberStatus") && record.GetPreviousValue("memberStatus") is string from
            && MemberStatuses.Refusal(from, status) is { } refusal)
        {
            throw new OperationException(MarketingErrors.InvalidTransition, refusal, "memberStatus");
        }

        var now = DateTime.UtcNow;
        if (record.Operation == RecordOperations.Create || record.IsChanging("memberStatus"))
        {
            record.SetValue("statusChangedAt", now);
        }

        StampResponse(record, status, now);
    }

    private static void StampResponse(IRecordContext record, string status, DateTime now)
    {
        var before = record.Operation == RecordOperations.Create ? null : record.GetPreviousValue("respondedAt") as DateTime?;
        var given = record.GetValue("respondedAt") as DateTime?;
        if (before is not null && record.IsChanging("respondedAt"))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "The response time is fixed once recorded.", "respondedAt");
        }

        if (before is null && given is { } at)
        {
            if (!MemberStatuses.IsResponse(status))
            {
                throw new OperationException(MarketingErrors.InvalidInput, $"A {status} member has not responded; give a response time with the responded or converted status.", "respondedAt");
            }

            if (at > now.AddMinutes(1))
            {
                throw new OperationException(MarketingErrors.InvalidInput, "The response time can't be in the future.", "respondedAt");
            }
        }
        else if (before is null && MemberStatuses.IsResponse(status))
        {
            record.SetValue("respondedAt", now);
        }
    }

    private static async Task CheckNewAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var targets = CampaignMemberEntity.Targets.Where(t => record.GetValue(t) is Guid).ToList();
        if (targets.Count != 1)
        {
            throw new OperationException(MarketingErrors.MemberTarget, $"A member is exactly one lead, contact or account; this one names {(targets.Count == 0 ? "none" : string.Join(" and ", targets))}.", targets.Count == 0 ? "lead" : targets[1]);
        }

        if (record.GetValue("campaign") is not Guid campaignId
            || await record.PrivilegedRecords.GetAsync(CampaignEntity.Name, campaignId, cancellationToken) is not { } campaign)
        {
            return; // the engine refuses a missing or unknown campaign as it refuses any bad lookup
        }

        if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
        {
            throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; it takes no new members.", "campaign");
        }

        var target = targets[0];
        var existing = await record.PrivilegedRecords.FindAsync(CampaignMemberEntity.Name, Condition.Eq("campaign", campaignId).And(Condition.Eq(target, record.GetValue(target))), 1, cancellationToken);
        if (existing.Count > 0)
        {
            throw new OperationException(MarketingErrors.AlreadyMember, $"This {target} is a member of campaign '{campaign.GetValue<string>("name")}' already.", target);
        }
    }
}
