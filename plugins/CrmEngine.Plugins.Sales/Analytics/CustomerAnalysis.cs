using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// <c>customerAnalysis</c> (7P 客户分析, seed 001): Profiling, Persistency, Profitability,
/// Performance, Prospecting, Product and Promotion figures for one account, a filter or segment of
/// accounts, or all of them, over a period (the previous period of the same length for retention).
/// Every figure is an aggregate through the record API as the caller, so row rights apply; the
/// formulas are in the sales README ("7P customer analysis").
/// </summary>
internal sealed class CustomerAnalysis : IPluginOperation
{
    private static readonly TypeRef Count = TypeRef.ListOf(TypeRef.Object("CustomerValueCount",
        new FieldRef("value", TypeRef.String, "The option's API name (null: not set)."),
        new FieldRef("count", TypeRef.Int.NonNull()))).NonNull();

    private static readonly TypeRef SalesRows = TypeRef.ListOf(TypeRef.Object("CustomerSalesRow",
        new FieldRef("value", TypeRef.String, "The channel (the account's source option), or null: not set."),
        new FieldRef("ownerId", TypeRef.UserId, "The rep, on a rep's row."),
        new FieldRef("product", TypeRef.Entity(ProductEntities.Product), "The product, on a product's row."),
        new FieldRef("orders", TypeRef.Int.NonNull(), "Orders (lines, on a product's row)."),
        new FieldRef("quantity", TypeRef.Decimal, "Quantity sold, on a product's row."),
        new FieldRef("amount", TypeRef.Decimal.NonNull()),
        new FieldRef("share", TypeRef.Decimal.NonNull(), "amount ÷ the period's revenue, 4 places."))).NonNull();

    public string Name => "customerAnalysis";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The 7P customer analysis (7P 客户分析): profiling, persistency, profitability, performance, prospecting, product and promotion figures for one account, a filter or segment of accounts, or all customers.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        .. CustomerSet.Arguments,
        new("from", TypeRef.Date, "The period's first day (default: a year before `to`, plus a day)."),
        new("to", TypeRef.Date, "The period's last day (default: today in the tenant's time zone)."),
        new("lifespanYears", TypeRef.Decimal, "Expected customer lifespan for the lifetime value, in years (default 3)."),
        new("top", TypeRef.Int, "How many products the cross-sell pairs are drawn from (default 10, 2 to 20)."),
    ];

    public TypeRef Result => TypeRef.Object("CustomerAnalysis",
        new FieldRef("from", TypeRef.Date.NonNull()),
        new FieldRef("to", TypeRef.Date.NonNull()),
        new FieldRef("previousFrom", TypeRef.Date.NonNull(), "The previous period, as long as this one, for retention."),
        new FieldRef("previousTo", TypeRef.Date.NonNull()),
        new FieldRef("accounts", TypeRef.Int.NonNull(), "Accounts in the set."),
        new FieldRef("profiling", TypeRef.Object("CustomerProfile",
            new FieldRef("byIndustry", Count), new FieldRef("byClassification", Count, "A/B/C tier."), new FieldRef("byProvince", Count, "Region."),
            new FieldRef("byLifecycleStage", Count)).NonNull(), "客户画像: how the accounts split."),
        new FieldRef("persistency", TypeRef.Object("CustomerPersistency",
            new FieldRef("customers", TypeRef.Int.NonNull(), "Accounts with an order (not cancelled) on or before `to`."),
            new FieldRef("repeatCustomers", TypeRef.Int.NonNull(), "Of them, with two orders or more."),
            new FieldRef("repeatRate", TypeRef.Decimal, "repeatCustomers ÷ customers, 4 places."),
            new FieldRef("averageTenureDays", TypeRef.Decimal, "Mean days from a customer's first order to `to`, 2 places."),
            new FieldRef("activeCustomers", TypeRef.Int.NonNull(), "Accounts that ordered in the period."),
            new FieldRef("previousCustomers", TypeRef.Int.NonNull(), "Accounts that ordered in the previous period."),
            new FieldRef("retained", TypeRef.Int.NonNull(), "Accounts that ordered in both periods."),
            new FieldRef("retentionRate", TypeRef.Decimal, "retained ÷ previousCustomers, 4 places.")).NonNull(), "客户忠诚: tenure, repeat purchase, retention."),
        new FieldRef("profitability", TypeRef.Object("CustomerProfitability",
            new FieldRef("orders", TypeRef.Int.NonNull(), "Orders (not cancelled) dated in the period."),
            new FieldRef("revenue", TypeRef.Decimal.NonNull(), "Their totals."),
            new FieldRef("discounts", TypeRef.Decimal.NonNull(), "Their discounts."),
            new FieldRef("received", TypeRef.Decimal.NonNull(), "Payments received in the period."),
            new FieldRef("serviceCases", TypeRef.Int, "Cases (service module) opened in the period: the cost to serve; null without the service module."),
            new FieldRef("revenuePerCase", TypeRef.Decimal, "revenue ÷ serviceCases, 2 places; null without cases.")).NonNull(), "客户利润"),
        new FieldRef("performance", TypeRef.Object("CustomerPerformance",
            new FieldRef("byProduct", SalesRows), new FieldRef("byChannel", SalesRows), new FieldRef("byRep", SalesRows)).NonNull(), "The period's sales by product, channel (account source) and rep, biggest first."),
        new FieldRef("prospecting", TypeRef.Object("CustomerProspecting",
            new FieldRef("openOpportunities", TypeRef.Int.NonNull()),
            new FieldRef("openPipeline", TypeRef.Decimal.NonNull(), "Σ amount of open opportunities."),
            new FieldRef("weightedPipeline", TypeRef.Decimal.NonNull(), "Σ amount × probability ÷ 100, 2 places."),
            new FieldRef("averageOrderValue", TypeRef.Decimal, "revenue ÷ orders, 2 places."),
            new FieldRef("purchaseFrequency", TypeRef.Decimal, "Orders per active customer per year: orders ÷ activeCustomers × 365 ÷ days in the period, 4 places."),
            new FieldRef("lifespanYears", TypeRef.Decimal.NonNull()),
            new FieldRef("lifetimeValue", TypeRef.Decimal, "averageOrderValue × purchaseFrequency × lifespanYears, 2 places.")).NonNull(), "客户开发"),
        new FieldRef("product", TypeRef.Object("CustomerProductMix",
            new FieldRef("crossSell", TypeRef.ListOf(TypeRef.Object("ProductAffinity",
                new FieldRef("first", TypeRef.Entity(ProductEntities.Product)),
                new FieldRef("second", TypeRef.Entity(ProductEntities.Product)),
                new FieldRef("customers", TypeRef.Int.NonNull(), "Active customers who bought both in the period."),
                new FieldRef("support", TypeRef.Decimal.NonNull(), "customers ÷ activeCustomers, 4 places."),
                new FieldRef("confidence", TypeRef.Decimal.NonNull(), "customers ÷ the first product's buyers: how often its buyers also bought the second, 4 places."))).NonNull(), "Pairs bought by the same customers, most shared first.")).NonNull(), "产品组合 (the mix is performance.byProduct)."),
        new FieldRef("promotion", TypeRef.Object("CustomerPromotion",
            new FieldRef("members", TypeRef.Int.NonNull(), "Campaign members who are the accounts or their contacts."),
            new FieldRef("responded", TypeRef.Int.NonNull(), "Of them, responded or converted."),
            new FieldRef("responseRate", TypeRef.Decimal, "responded ÷ members, 4 places.")), "促销响应; null without the marketing module.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var set = await CustomerSet.ReadAsync(context, cancellationToken);
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var to = context.Argument<DateOnly?>("to") ?? Periods.Today(DateTime.UtcNow, settings.Zone);
        var from = context.Argument<DateOnly?>("from") ?? to.AddYears(-1).AddDays(1);
        if (from > to)
        {
            throw new OperationException(SalesErrors.InvalidInput, "The period ends before it starts.", "to");
        }

        var lifespan = context.Argument<decimal?>("lifespanYears") ?? 3m;
        if (lifespan <= 0)
        {
            throw new OperationException(SalesErrors.InvalidInput, "The expected lifespan is more than 0 years.", "lifespanYears");
        }

        var top = context.Argument<int?>("top") ?? 10;
        if (top is < 2 or > 20)
        {
            throw new OperationException(SalesErrors.InvalidInput, "Cross-sell pairs are drawn from 2 to 20 products.", "top");
        }

        var figures = new CustomerFigures(context.Records, set, new AnalysisPeriod(from, to), cancellationToken);
        return await figures.AllAsync(lifespan, top);
    }
}

/// <summary>The period analysed and the one as long just before it.</summary>
internal sealed record AnalysisPeriod(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public AnalysisPeriod Previous => new(From.AddDays(-Days), From.AddDays(-1));

    public Condition Orders => Condition.All(Condition.Ne("status", "cancelled"), Condition.Gte("orderDate", From), Condition.Lte("orderDate", To));
}
