using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Intelligence;

/// <summary>
/// <c>competitorWinRates(from, to)</c> (竞争对手胜率): for each competitor, the opportunities it was in,
/// how many we won and lost against it (with <c>from</c>/<c>to</c>, those closed in the period), the win
/// rate won / (won + lost) to 4 places (null with none closed), the amounts won and lost, and the
/// reasons given on its links, split by won and lost. Read as the caller sees.
/// </summary>
internal sealed class CompetitorWinRates : IPluginOperation
{
    public string Name => "competitorWinRates";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Win rate against each competitor (竞争对手胜率): its deals open, won and lost, won / (won + lost), the amounts, and the win/loss reasons.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("from", TypeRef.Date, "Count won and lost deals closed on or after this day."),
        new("to", TypeRef.Date, "…and on or before this day."),
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("CompetitorWinRate",
        new FieldRef("competitor", TypeRef.Entity(CompetitorEntity.Name).NonNull()),
        new FieldRef("opportunities", TypeRef.Int.NonNull(), "Deals it is in, any status."),
        new FieldRef("open", TypeRef.Int.NonNull()),
        new FieldRef("won", TypeRef.Int.NonNull()),
        new FieldRef("lost", TypeRef.Int.NonNull()),
        new FieldRef("winRate", TypeRef.Decimal, "won / (won + lost), to 4 places."),
        new FieldRef("wonAmount", TypeRef.Decimal.NonNull()),
        new FieldRef("lostAmount", TypeRef.Decimal.NonNull()),
        new FieldRef("reasons", TypeRef.ListOf(TypeRef.Object("CompetitorReason",
            new FieldRef("reason", TypeRef.String.NonNull()),
            new FieldRef("won", TypeRef.Int.NonNull()),
            new FieldRef("lost", TypeRef.Int.NonNull()))).NonNull()))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var (from, to) = (context.Argument<DateOnly?>("from"), context.Argument<DateOnly?>("to"));
        if (from > to)
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", "to");
        }

        var links = new Dictionary<Guid, List<CrmRecord>>();
        await foreach (var link in records.QueryAllAsync(OpportunityCompetitorEntity.Name, cancellationToken: cancellationToken))
        {
            (links.TryGetValue(link.GetValue<Guid>("competitor"), out var list) ? list : links[link.GetValue<Guid>("competitor")] = []).Add(link);
        }

        var deals = new Dictionary<Guid, CrmRecord>();
        foreach (var batch in links.Values.SelectMany(l => l).Select(l => l.GetValue<Guid>("opportunity")).Distinct().Chunk(500))
        {
            await foreach (var deal in records.QueryAllAsync("opportunity", Condition.In("id", batch.Cast<object?>()), cancellationToken: cancellationToken))
            {
                deals[deal.Id] = deal;
            }
        }

        var rows = new List<Dictionary<string, object?>>();
        await foreach (var competitor in records.QueryAllAsync(CompetitorEntity.Name, orderBy: [new SortBy("name")], cancellationToken: cancellationToken))
        {
            var seen = links.GetValueOrDefault(competitor.Id, []).Where(l => deals.ContainsKey(l.GetValue<Guid>("opportunity"))).ToList();
            bool Closed(CrmRecord link, string status) => deals[link.GetValue<Guid>("opportunity")] is var deal && deal.GetValue<string>("status") == status
                && (from is null || deal.GetValue<DateOnly?>("closedOn") >= from) && (to is null || deal.GetValue<DateOnly?>("closedOn") <= to);
            var won = seen.Where(l => Closed(l, "won")).ToList();
            var lost = seen.Where(l => Closed(l, "lost")).ToList();
            rows.Add(new Dictionary<string, object?>
            {
                ["competitor"] = competitor,
                ["opportunities"] = seen.Count,
                ["open"] = seen.Count(l => deals[l.GetValue<Guid>("opportunity")].GetValue<string>("status") == "open"),
                ["won"] = won.Count,
                ["lost"] = lost.Count,
                ["winRate"] = Amounts.Ratio(won.Count, won.Count + lost.Count),
                ["wonAmount"] = won.Sum(l => Amounts.Of(deals[l.GetValue<Guid>("opportunity")], "amount")),
                ["lostAmount"] = lost.Sum(l => Amounts.Of(deals[l.GetValue<Guid>("opportunity")], "amount")),
                ["reasons"] = won.Concat(lost).Where(l => l.GetValue<string>("reason") is not null).GroupBy(l => l.GetValue<string>("reason")!).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new Dictionary<string, object?> { ["reason"] = g.Key, ["won"] = g.Count(won.Contains), ["lost"] = g.Count(lost.Contains) }).ToList(),
            });
        }

        return rows;
    }
}
