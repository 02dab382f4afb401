using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Members;

namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// Scores one lead or contact from their campaign memberships' interaction dates and their website
/// events (page visits and custom events) and writes the score on them; a lead whose combined score (sales' <c>score</c> plus the behavioural score)
/// reaches the MQL threshold while sales still has it open (new or contacted) is stamped
/// <c>mqlAt</c> and handed to its owner as a planned follow-up task, once: a stamped lead is never
/// handed over again, whatever its score does next.
/// </summary>
internal static class PersonScorer
{
    /// <summary>The people a behavioural score is kept on.</summary>
    public static readonly string[] Entities = ["lead", "contact"];

    /// <summary>
    /// The person's interactions: their memberships' stamps and their website events. The record being
    /// written (<paramref name="pendingId"/>, a membership or an event) counts with the interactions it
    /// has in the write (<paramref name="pending"/>), since the store still has it as it was (or not at all).
    /// </summary>
    public static async Task<IReadOnlyList<Interaction>> InteractionsAsync(IRecordApi records, string entity, Guid personId, Guid? pendingId, IEnumerable<Interaction>? pending, CancellationToken cancellationToken)
    {
        var interactions = new List<Interaction>();
        await foreach (var member in records.QueryAllAsync(CampaignMemberEntity.Name, Condition.Eq(entity, personId), cancellationToken: cancellationToken))
        {
            if (member.Id != pendingId)
            {
                interactions.AddRange(Of(member.Id, member.GetValue));
            }
        }

        var events = Condition.Eq(entity, personId).And(Condition.In("kind", ScoringSettings.EventKinds));
        await foreach (var happened in records.QueryAllAsync(InteractionEntity.Name, events, cancellationToken: cancellationToken))
        {
            if (happened.Id != pendingId)
            {
                interactions.Add(Event(happened.Id, happened.GetValue));
            }
        }

        interactions.AddRange(pending ?? []);
        return interactions;
    }

    /// <summary>A website event (a page visit or a custom event interaction) as a scored interaction.</summary>
    public static Interaction Event(Guid interactionId, Func<string, object?> value) =>
        new(null, interactionId, (string)value("kind")!, (DateTime)value("occurredAt")!, value("eventName") as string);

    /// <summary>The interactions one membership records: each of its stamped <c>openedAt</c>, <c>clickedAt</c>, <c>respondedAt</c>.</summary>
    public static IEnumerable<Interaction> Of(Guid memberId, Func<string, object?> value) =>
        value("campaign") is Guid campaign
            ? ScoringSettings.Kinds.Where(k => value(k + "At") is DateTime).Select(k => new Interaction(campaign, memberId, k, (DateTime)value(k + "At")!))
            : [];

    /// <summary>Writes the person's score as of <paramref name="at"/>, and hands a lead over when it qualifies.</summary>
    public static async Task RescoreAsync(IRecordApi records, ScoringSettings settings, string entity, Guid personId, IReadOnlyList<Interaction> interactions, DateTime at, CancellationToken cancellationToken)
    {
        if (await records.GetAsync(entity, personId, cancellationToken) is not { } person)
        {
            return;
        }

        var score = BehaviourScore.Total(BehaviourScore.Score(interactions, settings, DateOnly.FromDateTime(at)));
        var values = new FieldValues { ["behaviourScore"] = score, ["behaviourScoredAt"] = at };
        var handOver = entity == "lead" && Qualifies(person, score, settings);
        if (handOver)
        {
            values["mqlAt"] = at;
        }

        await Writes.RequireAsync(records.UpdateAsync(entity, personId, values, cancellationToken: cancellationToken));
        if (handOver)
        {
            var task = new FieldValues
            {
                ["subject"] = $"营销合格线索 MQL: {person.GetValue<string>("name")}（综合评分 {person.GetValue<long?>("score") ?? 0} + {score}）",
                ["type"] = "task",
                ["status"] = "planned",
                ["occurredAt"] = at,
                ["nextContactAt"] = at,
                ["lead"] = personId,
                ["notes"] = "Marketing-qualified: the lead's engagement with campaigns crossed the MQL threshold. 该线索的市场活动互动已达营销合格阈值，请跟进。",
            };
            if (person.OwnerId is { } owner)
            {
                task["ownerId"] = owner;
            }

            await Writes.RequireAsync(records.CreateAsync("activity", task, cancellationToken));
        }
    }

    /// <summary>A lead sales still has open, not handed over yet, whose fit and behaviour together reach the threshold.</summary>
    public static bool Qualifies(CrmRecord lead, long behaviourScore, ScoringSettings settings) =>
        lead.GetValue("mqlAt") is null
        && lead.GetValue<string>("status") is "new" or "contacted"
        && (lead.GetValue<long?>("score") ?? 0) + behaviourScore >= settings.MqlThreshold;
}
