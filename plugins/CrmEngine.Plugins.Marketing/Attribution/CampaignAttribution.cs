using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>
/// <c>campaignAttribution(model, from, to, campaignIds)</c> (活动归因与投资回报): per campaign, the
/// opportunities it influenced, its attributed pipeline and won revenue under the model, its actual
/// cost, ROI and cost per lead, opportunity and won deal; and the totals, whose attributed revenue
/// equals the won revenue of the influenced deals to the cent.
/// </summary>
internal sealed class CampaignAttribution : IPluginOperation
{
    public string Name => "campaignAttribution";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Campaign attribution and ROI (活动归因与投资回报率) under a model: influenced opportunities, attributed pipeline and won revenue, actual cost, ROI, cost per lead, opportunity and won deal.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("model", Models.Type.NonNull()),
        new("from", TypeRef.Date, "Won deals closed on or after this day; all when omitted."),
        new("to", TypeRef.Date, "Won deals closed on or before this day."),
        CampaignCounts.CampaignIds,
    ];

    public TypeRef Result => TypeRef.Object("CampaignAttribution",
        new FieldRef("model", Models.Type.NonNull()),
        new FieldRef("wonRevenue", TypeRef.Decimal.NonNull(), "The amounts of the won deals the campaigns influenced (closed in the period)."),
        new FieldRef("attributedRevenue", TypeRef.Decimal.NonNull(), "The campaigns' attributed revenue added up; equal to wonRevenue when every campaign is reported."),
        new FieldRef("actualCost", TypeRef.Decimal.NonNull()),
        new FieldRef("roi", TypeRef.Decimal, "(attributedRevenue − actualCost) / actualCost, to 4 places; null without cost."),
        new FieldRef("campaigns", TypeRef.ListOf(TypeRef.Object("CampaignReturn",
            new FieldRef("campaign", TypeRef.Entity(CampaignEntity.Name).NonNull()),
            new FieldRef("actualCost", TypeRef.Decimal.NonNull(), "The sum of its cost lines."),
            new FieldRef("leads", TypeRef.Int.NonNull(), "Its lead members."),
            new FieldRef("responses", TypeRef.Int.NonNull(), "Its members who responded."),
            new FieldRef("opportunities", TypeRef.Int.NonNull(), "Opportunities with at least one of its touches, whatever their status."),
            new FieldRef("wonDeals", TypeRef.Int.NonNull(), "Of those, the won ones (closed in the period)."),
            new FieldRef("attributedPipeline", TypeRef.Decimal.NonNull(), "Its shares of open opportunities' amounts."),
            new FieldRef("attributedRevenue", TypeRef.Decimal.NonNull(), "Its shares of won deals' amounts."),
            new FieldRef("roi", TypeRef.Decimal, "(attributedRevenue − actualCost) / actualCost, to 4 places; null without cost."),
            new FieldRef("costPerLead", TypeRef.Decimal, "actualCost / leads, to the cent; null without leads."),
            new FieldRef("costPerOpportunity", TypeRef.Decimal, "actualCost / opportunities, to the cent."),
            new FieldRef("costPerWonDeal", TypeRef.Decimal, "actualCost / wonDeals, to the cent."))).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var model = context.Argument<string>("model") ?? string.Empty;
        var from = context.Argument<DateOnly?>("from");
        var to = context.Argument<DateOnly?>("to");
        if (from > to)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "The period ends before it starts.", "to");
        }

        var counts = await CampaignCounts.LoadAsync(context, cancellationToken);
        var influence = await Influence.LoadAsync(records, cancellationToken);
        var credit = await Credit.LoadAsync(records, cancellationToken);
        var reported = counts.Campaigns.Select(c => c.Id).ToHashSet();
        var rows = counts.Campaigns.ToDictionary(c => c.Id, _ => new Tally());
        var wonRevenue = 0m;
        foreach (var influenced in await influence.OpportunitiesAsync(records, null, cancellationToken))
        {
            var status = influenced.Opportunity.GetValue<string>("status");
            var closedOn = influenced.Opportunity.GetValue<DateOnly?>("closedOn");
            var wonInPeriod = status == "won" && !(from is { } f && (closedOn is null || closedOn < f)) && !(to is { } t && (closedOn is null || closedOn > t));
            var shares = credit.Split(influenced, model);
            if (wonInPeriod && shares.Any(s => reported.Contains(s.Touch.CampaignId)))
            {
                wonRevenue += Amounts.Of(influenced.Opportunity, "amount");
            }

            foreach (var campaign in shares.GroupBy(s => s.Touch.CampaignId).Where(g => rows.ContainsKey(g.Key)))
            {
                var tally = rows[campaign.Key];
                var amount = campaign.Sum(s => s.Amount);
                tally.Opportunities++;
                if (status == "open")
                {
                    tally.Pipeline += amount;
                }
                else if (wonInPeriod)
                {
                    tally.Won++;
                    tally.Revenue += amount;
                }
            }
        }

        var list = counts.Campaigns.Select(c => Row(c, rows[c.Id], counts)).ToList();
        var attributed = list.Sum(r => (decimal)r["attributedRevenue"]!);
        var cost = list.Sum(r => (decimal)r["actualCost"]!);
        return new Dictionary<string, object?>
        {
            ["model"] = model,
            ["wonRevenue"] = wonRevenue,
            ["attributedRevenue"] = attributed,
            ["actualCost"] = cost,
            ["roi"] = Amounts.Ratio(attributed - cost, cost),
            ["campaigns"] = list,
        };
    }

    private static Dictionary<string, object?> Row(CrmRecord campaign, Tally tally, CampaignCounts counts)
    {
        var cost = Amounts.Of(campaign, "actualCost");
        var leads = counts.Leads.GetValueOrDefault(campaign.Id);
        return new Dictionary<string, object?>
        {
            ["campaign"] = campaign,
            ["actualCost"] = cost,
            ["leads"] = leads,
            ["responses"] = counts.Responded.GetValueOrDefault(campaign.Id),
            ["opportunities"] = tally.Opportunities,
            ["wonDeals"] = tally.Won,
            ["attributedPipeline"] = tally.Pipeline,
            ["attributedRevenue"] = tally.Revenue,
            ["roi"] = Amounts.Ratio(tally.Revenue - cost, cost),
            ["costPerLead"] = Amounts.Per(cost, leads),
            ["costPerOpportunity"] = Amounts.Per(cost, tally.Opportunities),
            ["costPerWonDeal"] = Amounts.Per(cost, tally.Won),
        };
    }

    private sealed class Tally
    {
        public int Opportunities { get; set; }

        public int Won { get; set; }

        public decimal Pipeline { get; set; }

        public decimal Revenue { get; set; }
    }
}
