using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// The 7P figures of a set of accounts, each from grouped aggregates (no record is read one by one
/// but the products and the one account). Orders count when not cancelled; "customers" are accounts
/// with such an order. Per-account groups are bounded by the engine's aggregate group limit: a set
/// with more customers than that is refused with INVALID_INPUT (narrow it with a filter).
/// </summary>
internal sealed class CustomerFigures(IRecordApi records, CustomerSet set, AnalysisPeriod period, CancellationToken cancellationToken)
{
    public const string ServiceCase = "serviceCase";
    public const string CampaignMember = "campaignMember";
    private const int MaxGroups = 1000;

    private static readonly Aggregate Total = Aggregate.Sum("total");
    private static readonly Aggregate Discount = Aggregate.Sum("discountTotal");
    private static readonly Aggregate FirstOrder = Aggregate.Min("orderDate");

    private Condition Orders => And(set.Through("account"), period.Orders);

    public async Task<Dictionary<string, object?>> AllAsync(decimal lifespan, int top)
    {
        var accounts = await records.CountAsync(AccountEntity.Name, set.Where, cancellationToken);
        var current = await ByAccountAsync(Orders, Total, Discount);
        var persistency = await PersistencyAsync(current);
        var profitability = await ProfitabilityAsync(current);
        var (orders, revenue, active) = ((int)current.Totals.Count, current.Totals.Value<decimal?>(Total) ?? 0m, current.Groups.Count);
        return new Dictionary<string, object?>
        {
            ["from"] = period.From,
            ["to"] = period.To,
            ["previousFrom"] = period.Previous.From,
            ["previousTo"] = period.Previous.To,
            ["accounts"] = (int)accounts,
            ["profiling"] = new Dictionary<string, object?>
            {
                ["byIndustry"] = await CountsAsync("industry"),
                ["byClassification"] = await CountsAsync("classification"),
                ["byProvince"] = await CountsAsync("province"),
                ["byLifecycleStage"] = await CountsAsync("lifecycleStage"),
            },
            ["persistency"] = persistency,
            ["profitability"] = profitability,
            ["performance"] = new Dictionary<string, object?>
            {
                ["byProduct"] = await ByProductAsync(revenue),
                ["byChannel"] = await ByChannelAsync(revenue),
                ["byRep"] = await ByRepAsync(revenue),
            },
            ["prospecting"] = await ProspectingAsync(orders, revenue, active, lifespan),
            ["product"] = new Dictionary<string, object?> { ["crossSell"] = await CrossSellAsync(active, top) },
            ["promotion"] = await PromotionAsync(),
        };
    }

    private static Condition And(Condition? first, Condition second) => first is null ? second : first.And(second);

    private static decimal? Ratio(decimal part, decimal whole, int places) => whole == 0 ? null : Rounded(part / whole, places);

    /// <summary>Rounded half away from zero, without trailing zeros (320000, not 320000.0), alike on both stores.</summary>
    private static decimal Rounded(decimal value, int places) => Math.Round(value, places, MidpointRounding.AwayFromZero) / 1.000000000000000000000000000000000m;

    private async Task<AggregateResult> ByAccountAsync(Condition orders, params Aggregate[] values)
    {
        var result = await records.AggregateAsync(OrderEntities.Order, new AggregateRequest { Where = orders, GroupBy = [new Grouping("account")], Values = values, GroupLimit = MaxGroups }, cancellationToken);
        return result.HasMoreGroups
            ? throw new OperationException(SalesErrors.InvalidInput, $"The analysis covers at most {MaxGroups} customers at once; narrow the accounts with a filter.", "filter")
            : result;
    }

    private async Task<List<Dictionary<string, object?>>> CountsAsync(string field)
    {
        var groups = await records.AggregateAsync(AccountEntity.Name, new AggregateRequest { Where = set.Where, GroupBy = [new Grouping(field)], GroupLimit = MaxGroups, Order = GroupOrder.CountDesc }, cancellationToken);
        return groups.Groups.Select(g => new Dictionary<string, object?> { ["value"] = g.Key[0]?.ToString(), ["count"] = (int)g.Count }).ToList();
    }

    private async Task<Dictionary<string, object?>> PersistencyAsync(AggregateResult current)
    {
        var ever = await ByAccountAsync(And(set.Through("account"), Condition.All(Condition.Ne("status", "cancelled"), Condition.Lte("orderDate", period.To))), FirstOrder);
        var previous = await ByAccountAsync(And(set.Through("account"), period.Previous.Orders));
        var customers = ever.Groups.Count;
        var repeat = ever.Groups.Count(g => g.Count >= 2);
        var tenureDays = ever.Groups.Sum(g => (decimal)(period.To.DayNumber - g.Value<DateOnly>(FirstOrder).DayNumber));
        var retained = current.Groups.Select(g => g.Key[0]).Intersect(previous.Groups.Select(g => g.Key[0])).Count();
        return new Dictionary<string, object?>
        {
            ["customers"] = customers,
            ["repeatCustomers"] = repeat,
            ["repeatRate"] = Ratio(repeat, customers, 4),
            ["averageTenureDays"] = Ratio(tenureDays, customers, 2),
            ["activeCustomers"] = current.Groups.Count,
            ["previousCustomers"] = previous.Groups.Count,
            ["retained"] = retained,
            ["retentionRate"] = Ratio(retained, previous.Groups.Count, 4),
        };
    }

    private async Task<Dictionary<string, object?>> ProfitabilityAsync(AggregateResult current)
    {
        var revenue = current.Totals.Value<decimal?>(Total) ?? 0m;
        var paid = Condition.All(Condition.Gte("receivedOn", period.From), Condition.Lte("receivedOn", period.To));
        var received = await records.AggregateAsync(PaymentEntities.Payment, new AggregateRequest { Where = And(set.Through("account"), paid), Values = [Aggregate.Sum("amount")] }, cancellationToken);
        long? cases = null;
        if (records.HasEntity(ServiceCase))
        {
            var opened = Condition.All(Condition.Gte("createdAt", Start(period.From)), Condition.Lt("createdAt", Start(period.To.AddDays(1))));
            cases = await records.CountAsync(ServiceCase, And(set.Through("account") ?? Condition.IsNotNull("account"), opened), cancellationToken);
        }

        return new Dictionary<string, object?>
        {
            ["orders"] = (int)current.Totals.Count,
            ["revenue"] = revenue,
            ["discounts"] = current.Totals.Value<decimal?>(Discount) ?? 0m,
            ["received"] = received.Totals.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m,
            ["serviceCases"] = (int?)cases,
            ["revenuePerCase"] = cases is > 0 ? Ratio(revenue, cases.Value, 2) : null,
        };
    }

    /// <summary>Midnight UTC of a day: cases are counted by the UTC day they were opened.</summary>
    private static DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private async Task<List<Dictionary<string, object?>>> ByProductAsync(decimal revenue)
    {
        var lines = await records.AggregateAsync(OrderEntities.OrderLine, new AggregateRequest
        {
            Where = Condition.Through("order", Orders).And(Condition.IsNotNull("product")),
            GroupBy = [new Grouping("product")],
            Values = [Aggregate.Sum("quantity"), Total],
            GroupLimit = MaxGroups,
        }, cancellationToken);
        var rows = new List<Dictionary<string, object?>>();
        foreach (var group in Biggest(lines.Groups))
        {
            var row = Row(group, revenue);
            row["product"] = await records.GetAsync(ProductEntities.Product, (Guid)group.Key[0]!, cancellationToken);
            row["quantity"] = group.Value<decimal?>(Aggregate.Sum("quantity")) ?? 0m;
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<Dictionary<string, object?>>> ByChannelAsync(decimal revenue)
    {
        // The channel is the account's source: one grouped count of the sources in the set, then the period's orders of each.
        var sources = await records.AggregateAsync(AccountEntity.Name, new AggregateRequest { Where = set.Where, GroupBy = [new Grouping("source")], GroupLimit = MaxGroups }, cancellationToken);
        var rows = new List<(AggregateGroup Group, object? Source)>();
        foreach (var source in sources.Groups.Select(g => g.Key[0]))
        {
            var ofSource = source is null ? Condition.IsNull("source") : Condition.Eq("source", source);
            var orders = await records.AggregateAsync(OrderEntities.Order, new AggregateRequest { Where = period.Orders.And(Condition.Through("account", set.And(ofSource))), Values = [Total] }, cancellationToken);
            if (orders.Totals.Count > 0)
            {
                rows.Add((orders.Totals, source));
            }
        }

        return Biggest(rows.Select(r => r.Group with { Key = [r.Source] })).Select(g =>
        {
            var row = Row(g, revenue);
            row["value"] = g.Key[0]?.ToString();
            return row;
        }).ToList();
    }

    private async Task<List<Dictionary<string, object?>>> ByRepAsync(decimal revenue)
    {
        var reps = await records.AggregateAsync(OrderEntities.Order, new AggregateRequest { Where = Orders, GroupBy = [new Grouping("ownerId")], Values = [Total], GroupLimit = MaxGroups }, cancellationToken);
        return Biggest(reps.Groups).Select(g =>
        {
            var row = Row(g, revenue);
            row["ownerId"] = g.Key[0];
            return row;
        }).ToList();
    }

    private static IEnumerable<AggregateGroup> Biggest(IEnumerable<AggregateGroup> groups) =>
        groups.Where(g => g.Key[0] is not null || g.Count > 0).OrderByDescending(g => g.Value<decimal?>(Total) ?? 0m).ThenBy(g => g.Key[0]?.ToString(), StringComparer.Ordinal);

    private static Dictionary<string, object?> Row(AggregateGroup group, decimal revenue)
    {
        var amount = group.Value<decimal?>(Total) ?? 0m;
        return new Dictionary<string, object?> { ["orders"] = (int)group.Count, ["amount"] = amount, ["share"] = Ratio(amount, revenue, 4) ?? 0m };
    }

    private async Task<Dictionary<string, object?>> ProspectingAsync(int orders, decimal revenue, int active, decimal lifespan)
    {
        // Weighted pipeline without reading each opportunity: open amounts summed per probability, then weighted.
        var open = await records.AggregateAsync(OpportunityEntity.Name, new AggregateRequest
        {
            Where = And(set.Through("account"), Condition.Eq("status", "open")),
            GroupBy = [new Grouping("probability")],
            Values = [Aggregate.Sum("amount")],
            GroupLimit = MaxGroups,
        }, cancellationToken);
        var weighted = open.Groups.Sum(g => (g.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m) * (g.Key[0] is null ? 0m : Convert.ToDecimal(g.Key[0], System.Globalization.CultureInfo.InvariantCulture)) / 100m);
        var averageOrder = Ratio(revenue, orders, 2);
        var frequency = Ratio(orders * 365m, (decimal)active * period.Days, 4);
        return new Dictionary<string, object?>
        {
            ["openOpportunities"] = (int)open.Totals.Count,
            ["openPipeline"] = open.Totals.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m,
            ["weightedPipeline"] = Rounded(weighted, 2),
            ["averageOrderValue"] = averageOrder,
            ["purchaseFrequency"] = frequency,
            ["lifespanYears"] = lifespan,
            ["lifetimeValue"] = averageOrder is { } aov && frequency is { } f ? Rounded(aov * f * lifespan, 2) : null,
        };
    }

    private Condition Bought(object product) => set.And(Condition.Related(OrderEntities.Order, "account", RelatedMatch.Some,
        period.Orders.And(Condition.Related(OrderEntities.OrderLine, "order", RelatedMatch.Some, Condition.Eq("product", product)))));

    private async Task<List<Dictionary<string, object?>>> CrossSellAsync(int active, int top)
    {
        // The products most customers bought, then one count of accounts per pair: accounts with an order line of each.
        var products = await records.AggregateAsync(OrderEntities.OrderLine, new AggregateRequest
        {
            Where = Condition.Through("order", Orders).And(Condition.IsNotNull("product")),
            GroupBy = [new Grouping("product")],
            GroupLimit = MaxGroups,
        }, cancellationToken);
        var buyers = new List<(Guid Product, long Buyers)>();
        foreach (var product in products.Groups.Select(g => (Guid)g.Key[0]!))
        {
            buyers.Add((product, await records.CountAsync(AccountEntity.Name, Bought(product), cancellationToken)));
        }

        var chosen = buyers.OrderByDescending(b => b.Buyers).ThenBy(b => b.Product).Take(top).ToList();
        var pairs = new List<(Guid First, Guid Second, long Both, long FirstBuyers)>();
        for (var i = 0; i < chosen.Count; i++)
        {
            for (var j = i + 1; j < chosen.Count; j++)
            {
                var both = await records.CountAsync(AccountEntity.Name, Bought(chosen[i].Product).And(Bought(chosen[j].Product)), cancellationToken);
                if (both > 0)
                {
                    pairs.Add((chosen[i].Product, chosen[j].Product, both, chosen[i].Buyers));
                    pairs.Add((chosen[j].Product, chosen[i].Product, both, chosen[j].Buyers));
                }
            }
        }

        var rows = new List<Dictionary<string, object?>>();
        foreach (var pair in pairs.OrderByDescending(p => p.Both).ThenByDescending(p => (decimal)p.Both / p.FirstBuyers).ThenBy(p => p.First).ThenBy(p => p.Second))
        {
            rows.Add(new Dictionary<string, object?>
            {
                ["first"] = await records.GetAsync(ProductEntities.Product, pair.First, cancellationToken),
                ["second"] = await records.GetAsync(ProductEntities.Product, pair.Second, cancellationToken),
                ["customers"] = (int)pair.Both,
                ["support"] = Ratio(pair.Both, active, 4) ?? 0m,
                ["confidence"] = Ratio(pair.Both, pair.FirstBuyers, 4) ?? 0m,
            });
        }

        return rows;
    }

    private async Task<Dictionary<string, object?>?> PromotionAsync()
    {
        if (!records.HasEntity(CampaignMember))
        {
            return null;
        }

        var ofSet = set.Where is null
            ? Condition.Any(Condition.IsNotNull("account"), Condition.Through("contact", Condition.IsNotNull("account")))
            : Condition.Any(Condition.Through("account", set.Where), Condition.Through("contact", Condition.Through("account", set.Where)));
        var members = await records.AggregateAsync(CampaignMember, new AggregateRequest { Where = ofSet, GroupBy = [new Grouping("memberStatus")], GroupLimit = MaxGroups }, cancellationToken);
        var responded = members.Groups.Where(g => g.Key[0] is "responded" or "converted").Sum(g => g.Count);
        return new Dictionary<string, object?>
        {
            ["members"] = (int)members.Totals.Count,
            ["responded"] = (int)responded,
            ["responseRate"] = Ratio(responded, members.Totals.Count, 4),
        };
    }
}
