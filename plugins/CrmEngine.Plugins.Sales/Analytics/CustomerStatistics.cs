using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// <c>customerStatistics</c> (统计分析): purchase count and amount per account (biggest first), the
/// longest-standing customers (first order), best-selling products, and payments received per
/// period, all from aggregates over orders that were not cancelled and over payments.
/// </summary>
internal sealed class CustomerStatistics : IPluginOperation
{
    public string Name => "customerStatistics";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Customer statistics: purchases per account, biggest and longest-standing customers, best-selling products, payments received per period.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("top", TypeRef.Int, "How many accounts and products to list (default 10, at most 100)."),
        new("period", TypeRef.Enum("StatisticsPeriod", "MONTH", "QUARTER", "YEAR"), "Buckets for payments received (default MONTH)."),
        new("from", TypeRef.Date, "Orders and payments on or after this day."),
        new("to", TypeRef.Date, "Orders and payments on or before this day."),
        .. Scope.Arguments,
    ];

    public TypeRef Result => TypeRef.Object("CustomerStatistics",
        new FieldRef("customers", TypeRef.ListOf(TypeRef.Object("CustomerPurchases",
            new FieldRef("account", TypeRef.Entity(AccountEntity.Name)),
            new FieldRef("orderCount", TypeRef.Int.NonNull()),
            new FieldRef("orderAmount", TypeRef.Decimal.NonNull()),
            new FieldRef("received", TypeRef.Decimal.NonNull()),
            new FieldRef("firstOrderOn", TypeRef.Date))).NonNull(), "Biggest customers first."),
        new FieldRef("longestStanding", TypeRef.ListOf(TypeRef.Entity(AccountEntity.Name)).NonNull(), "Customers by first order, oldest first."),
        new FieldRef("products", TypeRef.ListOf(TypeRef.Object("ProductSales",
            new FieldRef("product", TypeRef.Entity(ProductEntities.Product)),
            new FieldRef("quantity", TypeRef.Decimal.NonNull()),
            new FieldRef("amount", TypeRef.Decimal.NonNull()))).NonNull(), "Best sellers by amount."),
        new FieldRef("payments", TypeRef.ListOf(TypeRef.Object("PaymentsInPeriod",
            new FieldRef("period", TypeRef.String.NonNull()),
            new FieldRef("start", TypeRef.Date.NonNull()),
            new FieldRef("count", TypeRef.Int.NonNull()),
            new FieldRef("amount", TypeRef.Decimal.NonNull()))).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var top = Math.Clamp(context.Argument<int?>("top") ?? 10, 1, 100);
        var period = context.Argument<string>("period") ?? "MONTH";
        var scope = await Scope.ReadAsync(context, cancellationToken);
        var orders = scope.And(Condition.Ne("status", "cancelled"));
        var payments = scope.And(Condition.IsNotNull("receivedOn"));
        if (context.Argument<DateOnly?>("from") is { } from)
        {
            orders = orders.And(Condition.Gte("orderDate", from));
            payments = payments.And(Condition.Gte("receivedOn", from));
        }

        if (context.Argument<DateOnly?>("to") is { } to)
        {
            orders = orders.And(Condition.Lte("orderDate", to));
            payments = payments.And(Condition.Lte("receivedOn", to));
        }

        var total = Aggregate.Sum("total");
        var byAccount = await records.AggregateAsync(OrderEntities.Order, new AggregateRequest { Where = orders, GroupBy = [new Grouping("account")], Values = [total, Aggregate.Min("orderDate")], GroupLimit = 1000 }, cancellationToken);
        var receivedByAccount = (await records.AggregateAsync(PaymentEntities.Payment, new AggregateRequest { Where = payments, GroupBy = [new Grouping("account")], Values = [Aggregate.Sum("amount")], GroupLimit = 1000 }, cancellationToken))
            .Groups.Where(g => g.Key[0] is Guid).ToDictionary(g => (Guid)g.Key[0]!, g => g.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m);
        var biggest = byAccount.Groups.Where(g => g.Key[0] is Guid).OrderByDescending(g => g.Value<decimal?>(total) ?? 0m).ThenBy(g => (Guid)g.Key[0]!).Take(top).ToList();
        var customers = new List<Dictionary<string, object?>>();
        foreach (var group in biggest)
        {
            var id = (Guid)group.Key[0]!;
            customers.Add(new Dictionary<string, object?>
            {
                ["account"] = await records.GetAsync(AccountEntity.Name, id, cancellationToken),
                ["orderCount"] = (int)group.Count,
                ["orderAmount"] = group.Value<decimal?>(total) ?? 0m,
                ["received"] = receivedByAccount.GetValueOrDefault(id),
                ["firstOrderOn"] = group.Values.GetValueOrDefault(Aggregate.Min("orderDate")),
            });
        }

        var longest = await records.QueryAsync(AccountEntity.Name, new RecordQuery { Where = scope.And(Condition.IsNotNull("customerSince")), OrderBy = [SortBy.Asc("customerSince")], First = top }, cancellationToken);

        var lines = await records.AggregateAsync(OrderEntities.OrderLine, new AggregateRequest
        {
            Where = Condition.Through("order", orders).And(Condition.IsNotNull("product")),
            GroupBy = [new Grouping("product")],
            Values = [Aggregate.Sum("quantity"), total],
            GroupLimit = 1000,
        }, cancellationToken);
        var products = new List<Dictionary<string, object?>>();
        foreach (var group in lines.Groups.Where(g => g.Key[0] is Guid).OrderByDescending(g => g.Value<decimal?>(total) ?? 0m).ThenBy(g => (Guid)g.Key[0]!).Take(top))
        {
            products.Add(new Dictionary<string, object?>
            {
                ["product"] = await records.GetAsync(ProductEntities.Product, (Guid)group.Key[0]!, cancellationToken),
                ["quantity"] = group.Value<decimal?>(Aggregate.Sum("quantity")) ?? 0m,
                ["amount"] = group.Value<decimal?>(total) ?? 0m,
            });
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var bucket = period switch { "QUARTER" => DateBucket.Quarter, "YEAR" => DateBucket.Year, _ => DateBucket.Month };
        var received = await records.AggregateAsync(PaymentEntities.Payment, new AggregateRequest
        {
            Where = payments,
            GroupBy = [new Grouping("receivedOn", bucket, settings.Zone.Id)],
            Values = [Aggregate.Sum("amount")],
            GroupLimit = 1000,
        }, cancellationToken);
        var byPeriod = received.Groups.Where(g => g.Key[0] is DateOnly).Select(g => new Dictionary<string, object?>
        {
            ["period"] = Periods.Label(period, (DateOnly)g.Key[0]!),
            ["start"] = (DateOnly)g.Key[0]!,
            ["count"] = (int)g.Count,
            ["amount"] = g.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m,
        }).ToList();

        return new Dictionary<string, object?> { ["customers"] = customers, ["longestStanding"] = longest.Records, ["products"] = products, ["payments"] = byPeriod };
    }
}
