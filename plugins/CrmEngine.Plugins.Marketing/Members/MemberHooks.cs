using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Scoring;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>
/// Keeps memberships sound on every write: one person per membership (a lead, a contact or an
/// account, fixed once added), once per campaign, none added to a finished campaign; the status
/// moves as <see cref="MemberStatuses"/> allows, and the response time, the touch attribution
/// counts, is stamped once when the member first responds (an earlier time may be given for a
/// response recorded late, never a future one) and fixed after that. A move to opened, clicked,
/// unsubscribed or bounced is recorded as an interaction in the same write; the delivery fields are
/// the module's (the send and the delivery check write them).
/// </summary>
internal sealed class MemberHooks : IBeforeRecordHook
{
    private static readonly string[] Delivery = ["messageId", "deliveryStatus", "deliveryError"];

    /// <summary>The statuses whose reaching is an interaction of the same name.</summary>
    private static readonly string[] Interactions = ["opened", "clicked", "unsubscribed", "bounced"];

    public string Entity => CampaignMemberEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && Delivery.FirstOrDefault(record.ChangingFields.Contains) is { } computed)
        {
            throw new OperationException(MarketingErrors.ComputedField, $"'{computed}' is written by the module when it sends and checks deliveries.", computed);
        }

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

        StampInteractions(record, status, now);
        await RescoreAsync(record, now, cancellationToken);
        if (record.Operation == RecordOperations.Update && record.IsChanging("memberStatus") && Interactions.Contains(status))
        {
            var person = CampaignMemberEntity.Targets.First(t => record.GetValue(t) is Guid);
            await InteractionLog.RecordAsync(record.PrivilegedRecords, status, person, (Guid)record.GetValue(person)!, now,
                new InteractionFacts(record.GetValue("campaign") as Guid?, record.RecordId, Detail: status == "bounced" ? record.GetValue("deliveryError") as string : null), cancellationToken);
        }
    }

    /// <summary>
    /// Stamps when the member first opened, clicked and responded (the dates scoring and attribution
    /// read): each when the status reaches it (<c>respondedAt</c> for responded or converted), now
    /// or the earlier time given with that status (never a future one), fixed after that.
    /// </summary>
    private static void StampInteractions(IRecordContext record, string status, DateTime now)
    {
        foreach (var kind in ScoringSettings.Kinds)
        {
            var field = kind + "At";
            var reached = kind == "responded" ? MemberStatuses.IsResponse(status) : status == kind;
            var before = record.Operation == RecordOperations.Create ? null : record.GetPreviousValue(field) as DateTime?;
            var given = record.GetValue(field) as DateTime?;
            if (before is not null && record.IsChanging(field))
            {
                throw new OperationException(MarketingErrors.InvalidInput, $"The {kind} time is fixed once recorded.", field);
            }

            if (before is null && given is { } at)
            {
                if (!reached || (record.Operation == RecordOperations.Update && !record.IsChanging("memberStatus")))
                {
                    throw new OperationException(MarketingErrors.InvalidInput, $"A {status} member has not {kind} now; give the {kind} time with the {(kind == "responded" ? "responded or converted" : kind)} status.", field);
                }

                if (at > now.AddMinutes(1))
                {
                    throw new OperationException(MarketingErrors.InvalidInput, $"The {kind} time can't be in the future.", field);
                }
            }
            else if (before is null && given is null && reached && (record.Operation == RecordOperations.Create || record.IsChanging("memberStatus")))
            {
                record.SetValue(field, now);
            }
        }
    }

    /// <summary>Re-scores the member's lead or contact when one of its interaction dates was just stamped, in the write's transaction.</summary>
    private static async Task RescoreAsync(IRecordContext record, DateTime now, CancellationToken cancellationToken)
    {
        if (!ScoringSettings.Kinds.Any(k => record.IsChanging(k + "At"))
            || PersonScorer.Entities.FirstOrDefault(e => record.GetValue(e) is Guid) is not { } entity)
        {
            return;
        }

        var personId = (Guid)record.GetValue(entity)!;
        var settings = await ScoringSettings.LoadAsync(record.Settings, cancellationToken);
        var interactions = await PersonScorer.InteractionsAsync(record.PrivilegedRecords, entity, personId, record.RecordId, PersonScorer.Of(record.RecordId, record.GetValue), cancellationToken);
        await PersonScorer.RescoreAsync(record.PrivilegedRecords, settings, entity, personId, interactions, now, cancellationToken);
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
