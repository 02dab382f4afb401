using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>
/// <c>campaignFunnel(groupBy, campaignIds)</c> (营销漏斗): members → responded → marketing-qualified →
/// sales-qualified →
/// opportunity → won, per campaign or per campaign type (channel), with the conversion from each
/// step to the next. Members, responses and qualified leads count memberships (someone in two
/// e-mail campaigns counts twice in the e-mail row); opportunities and won deals count each deal
/// once per row, however many of the row's campaigns touched it.
/// </summary>
internal sealed class CampaignFunnel : IPluginOperation
{
    public string Name => "campaignFunnel";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The marketing funnel (营销漏斗) per campaign or per campaign type: members, responded, marketing-qualified (MQL) and sales-qualified leads, influenced opportunities, won deals, and the step-to-step conversion.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("groupBy", TypeRef.Enum("CampaignFunnelGrouping", "CAMPAIGN", "TYPE"), "CAMPAIGN (the default) or TYPE (channel)."),
        CampaignCounts.CampaignIds,
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("CampaignFunnelRow",
        new FieldRef("campaign", TypeRef.Entity(CampaignEntity.Name), "The campaign; null in rows by type."),
        new FieldRef("type", TypeRef.String.NonNull(), "The campaign type (channel)."),
        new FieldRef("members", TypeRef.Int.NonNull()),
        new FieldRef("responded", TypeRef.Int.NonNull()),
        new FieldRef("mql", TypeRef.Int.NonNull(), "Responded lead members whose lead became marketing-qualified (mqlAt)."),
        new FieldRef("qualified", TypeRef.Int.NonNull(), "Responded lead members whose lead is qualified or converted."),
        new FieldRef("opportunities", TypeRef.Int.NonNull(), "Opportunities with a touch of the row's campaigns."),
        new FieldRef("won", TypeRef.Int.NonNull(), "Of those, the won ones."),
        new FieldRef("responseRate", TypeRef.Decimal, "responded / members, to 4 places."),
        new FieldRef("mqlRate", TypeRef.Decimal, "mql / responded."),
        new FieldRef("qualificationRate", TypeRef.Decimal, "qualified / responded."),
        new FieldRef("winRate", TypeRef.Decimal, "won / opportunities."))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var byType = context.Argument<string>("groupBy") == "TYPE";
        var counts = await CampaignCounts.LoadAsync(context, cancellationToken);
        var influence = await Influence.LoadAsync(records, cancellationToken);
        var rowOf = counts.Campaigns.ToDictionary(c => c.Id, c => byType ? c.GetValue<string>("type") ?? string.Empty : c.Id.ToString());
        var opportunities = new Dictionary<string, HashSet<Guid>>();
        var won = new Dictionary<string, HashSet<Guid>>();
        foreach (var influenced in await influence.OpportunitiesAsync(records, null, cancellationToken))
        {
            foreach (var row in influenced.Touches.Select(t => rowOf.GetValueOrDefault(t.CampaignId)).OfType<string>().Distinct())
            {
                Add(opportunities, row, influenced.Opportunity.Id);
                if (influenced.Opportunity.GetValue<string>("status") == "won")
                {
                    Add(won, row, influenced.Opportunity.Id);
                }
            }
        }

        return counts.Campaigns.GroupBy(c => rowOf[c.Id]).Select(group =>
        {
            int Sum(Dictionary<Guid, int> counted) => group.Sum(c => counted.GetValueOrDefault(c.Id));
            var (members, responded, mql, qualified) = (Sum(counts.Members), Sum(counts.Responded), Sum(counts.Mql), Sum(counts.Qualified));
            var (influenced, wonDeals) = (opportunities.GetValueOrDefault(group.Key)?.Count ?? 0, won.GetValueOrDefault(group.Key)?.Count ?? 0);
            return new Dictionary<string, object?>
            {
                ["campaign"] = byType ? null : group.First(),
                ["type"] = group.First().GetValue<string>("type"),
                ["members"] = members,
                ["responded"] = responded,
                ["mql"] = mql,
                ["qualified"] = qualified,
                ["opportunities"] = influenced,
                ["won"] = wonDeals,
                ["responseRate"] = Amounts.Ratio(responded, members),
                ["mqlRate"] = Amounts.Ratio(mql, responded),
                ["qualificationRate"] = Amounts.Ratio(qualified, responded),
                ["winRate"] = Amounts.Ratio(wonDeals, influenced),
            };
        }).ToList();
    }

    private static void Add(Dictionary<string, HashSet<Guid>> sets, string row, Guid id)
    {
        if (!sets.TryGetValue(row, out var set))
        {
            sets[row] = set = [];
        }

        set.Add(id);
    }
}
