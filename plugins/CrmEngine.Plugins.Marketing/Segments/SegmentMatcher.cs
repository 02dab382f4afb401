using CrmEngine.Plugins.Marketing.Members;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>What a segment is defined by: whom it is of, how it picks them, whom it leaves out.</summary>
internal sealed record SegmentDefinition(Guid? Id, string Entity, bool Dynamic, Condition? Filter, bool ExcludeOptedOut, long? MaxContacts, long? ContactWindowDays)
{
    public static SegmentDefinition Of(CrmRecord segment) => new(
        segment.Id,
        segment.GetValue<string>("entity") ?? "contact",
        segment.GetValue<string>("kind") != "static",
        FilterJson.Parse(segment.GetValue<string>("filter")),
        segment.GetValue<bool?>("excludeOptedOut") ?? true,
        segment.GetValue<long?>("maxContacts"),
        segment.GetValue<long?>("contactWindowDays"));
}

/// <summary>Who is in a segment, read as the caller sees: the filter's matches (or the listed people), less the excluded.</summary>
internal static class SegmentMatcher
{
    /// <summary>Everyone the segment picks before exclusions.</summary>
    public static async Task<HashSet<Guid>> PickedAsync(IRecordApi records, SegmentDefinition segment, CancellationToken cancellationToken)
    {
        var picked = new HashSet<Guid>();
        if (segment.Dynamic)
        {
            await foreach (var record in records.QueryAllAsync(segment.Entity, segment.Filter, cancellationToken: cancellationToken))
            {
                picked.Add(record.Id);
            }
        }
        else if (segment.Id is { } id)
        {
            await foreach (var member in records.QueryAllAsync(SegmentMemberEntity.Name, Condition.Eq("segment", id), cancellationToken: cancellationToken))
            {
                if (member.GetValue(segment.Entity) is Guid person)
                {
                    picked.Add(person);
                }
            }
        }

        return picked;
    }

    /// <summary>
    /// The people the exclusions leave out: those with an unsubscribed or bounced campaign membership
    /// (when asked), and those contacted more than maxContacts times in the last contactWindowDays
    /// (a contact is a campaign membership that got past targeted, counted on the day its status last
    /// changed).
    /// </summary>
    public static async Task<HashSet<Guid>> ExcludedAsync(IRecordApi records, SegmentDefinition segment, DateTime now, CancellationToken cancellationToken)
    {
        var excluded = new HashSet<Guid>();
        var of = Condition.IsNotNull(segment.Entity);
        if (segment.ExcludeOptedOut)
        {
            await foreach (var member in records.QueryAllAsync(CampaignMemberEntity.Name, of.And(Condition.In("memberStatus", ["unsubscribed", "bounced"])), cancellationToken: cancellationToken))
            {
                excluded.Add(member.GetValue<Guid>(segment.Entity));
            }
        }

        if (segment is { MaxContacts: { } most, ContactWindowDays: { } days })
        {
            var contacts = await records.AggregateAsync(CampaignMemberEntity.Name, new AggregateRequest
            {
                Where = of.And(Condition.Ne("memberStatus", "targeted")).And(Condition.Gte("statusChangedAt", now.AddDays(-days))),
                GroupBy = [new Grouping(segment.Entity)],
                GroupLimit = 100_000,
            }, cancellationToken);
            excluded.UnionWith(contacts.Groups.Where(g => g.Count > most && g.Key[0] is Guid).Select(g => (Guid)g.Key[0]!));
        }

        return excluded;
    }

    /// <summary>The segment's people now: picked, less excluded.</summary>
    public static async Task<(HashSet<Guid> People, int Excluded)> MatchAsync(IRecordApi records, SegmentDefinition segment, DateTime now, CancellationToken cancellationToken)
    {
        var picked = await PickedAsync(records, segment, cancellationToken);
        var excluded = await ExcludedAsync(records, segment, now, cancellationToken);
        var before = picked.Count;
        picked.ExceptWith(excluded);
        return (picked, before - picked.Count);
    }
}
