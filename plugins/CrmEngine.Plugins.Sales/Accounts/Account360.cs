using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Contracts;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Plugins.Sales.Pool;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Accounts;

/// <summary>
/// <c>account360(id)</c>: the account with everything around it in one call: contacts, recent
/// follow-ups, opportunities, quotes, orders, contracts, payments, pool moves and the figures that
/// sum them up. Through <c>account</c>, its inverse lists reach what other modules link to it
/// (campaigns, tickets) when they are enabled.
/// </summary>
internal sealed class Account360 : IPluginOperation
{
    public string Name => "account360";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The 360° view of an account: contacts, follow-ups, opportunities, quotes, orders, contracts, payments, pool history and summary figures.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull()), new("activities", TypeRef.Int, "How many recent follow-ups (default 20, at most 200).")];

    public TypeRef Result => TypeRef.Object("Account360",
        new FieldRef("account", TypeRef.Entity(AccountEntity.Name).NonNull(), "The account; its inverse lists reach what other modules link to it."),
        new FieldRef("contacts", List(ContactEntity.Name)),
        new FieldRef("activities", List(ActivityEntity.Name), "Most recent first."),
        new FieldRef("opportunities", List(OpportunityEntity.Name)),
        new FieldRef("quotes", List(QuoteEntities.Quote)),
        new FieldRef("orders", List(OrderEntities.Order)),
        new FieldRef("contracts", List(ContractEntities.Contract)),
        new FieldRef("payments", List(PaymentEntities.Payment)),
        new FieldRef("poolMoves", List(PoolMoveEntity.Name), "Most recent first."),
        new FieldRef("summary", TypeRef.Object("AccountSummary",
            new FieldRef("orderCount", TypeRef.Int.NonNull()),
            new FieldRef("orderAmount", TypeRef.Decimal.NonNull()),
            new FieldRef("received", TypeRef.Decimal.NonNull()),
            new FieldRef("outstanding", TypeRef.Decimal.NonNull()),
            new FieldRef("overdue", TypeRef.Decimal.NonNull()),
            new FieldRef("openOpportunities", TypeRef.Int.NonNull()),
            new FieldRef("openPipeline", TypeRef.Decimal.NonNull()),
            new FieldRef("wonAmount", TypeRef.Decimal.NonNull())).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var account = await Writes.ExistingAsync(records, AccountEntity.Name, context.RecordId("id", AccountEntity.Name), "id", cancellationToken);
        var of = Condition.Eq("account", account.Id);
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var today = Periods.Today(DateTime.UtcNow, settings.Zone);
        var orders = await records.AggregateAsync(OrderEntities.Order, new AggregateRequest { Where = of.And(Condition.Ne("status", "cancelled")), Values = [Aggregate.Sum("total"), Aggregate.Sum("receivedAmount")] }, cancellationToken);
        var plans = Condition.Eq("account", account.Id).And(Condition.Through("order", Condition.Ne("status", "cancelled")));
        var outstanding = await records.AggregateAsync(PaymentEntities.Plan, new AggregateRequest { Where = plans, Values = [Aggregate.Sum("outstandingAmount")] }, cancellationToken);
        var overdue = await records.AggregateAsync(PaymentEntities.Plan, new AggregateRequest { Where = plans.And(Condition.Lt("dueDate", today)), Values = [Aggregate.Sum("outstandingAmount")] }, cancellationToken);
        var open = await records.AggregateAsync(OpportunityEntity.Name, new AggregateRequest { Where = of.And(Condition.Eq("status", "open")), Values = [Aggregate.Sum("amount")] }, cancellationToken);
        var won = await records.AggregateAsync(OpportunityEntity.Name, new AggregateRequest { Where = of.And(Condition.Eq("status", "won")), Values = [Aggregate.Sum("amount")] }, cancellationToken);
        var activities = Math.Clamp(context.Argument<int?>("activities") ?? 20, 1, 200);
        return new Dictionary<string, object?>
        {
            ["account"] = account,
            ["contacts"] = await ListAsync(records, ContactEntity.Name, of, [SortBy.Desc("isPrimary"), SortBy.Asc("name")], 200, cancellationToken),
            ["activities"] = await ListAsync(records, ActivityEntity.Name, of, [SortBy.Desc("occurredAt")], activities, cancellationToken),
            ["opportunities"] = await ListAsync(records, OpportunityEntity.Name, of, [SortBy.Desc("createdAt")], 200, cancellationToken),
            ["quotes"] = await ListAsync(records, QuoteEntities.Quote, of, [SortBy.Desc("createdAt")], 200, cancellationToken),
            ["orders"] = await ListAsync(records, OrderEntities.Order, of, [SortBy.Desc("orderDate")], 200, cancellationToken),
            ["contracts"] = await ListAsync(records, ContractEntities.Contract, of, [SortBy.Desc("createdAt")], 200, cancellationToken),
            ["payments"] = await ListAsync(records, PaymentEntities.Payment, of, [SortBy.Desc("receivedOn")], 200, cancellationToken),
            ["poolMoves"] = await ListAsync(records, PoolMoveEntity.Name, of, [SortBy.Desc("at")], 200, cancellationToken),
            ["summary"] = new Dictionary<string, object?>
            {
                ["orderCount"] = (int)orders.Totals.Count,
                ["orderAmount"] = orders.Totals.Value<decimal?>(Aggregate.Sum("total")) ?? 0m,
                ["received"] = orders.Totals.Value<decimal?>(Aggregate.Sum("receivedAmount")) ?? 0m,
                ["outstanding"] = outstanding.Totals.Value<decimal?>(Aggregate.Sum("outstandingAmount")) ?? 0m,
                ["overdue"] = overdue.Totals.Value<decimal?>(Aggregate.Sum("outstandingAmount")) ?? 0m,
                ["openOpportunities"] = (int)open.Totals.Count,
                ["openPipeline"] = open.Totals.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m,
                ["wonAmount"] = won.Totals.Value<decimal?>(Aggregate.Sum("amount")) ?? 0m,
            },
        };
    }

    private static TypeRef List(string entity) => TypeRef.ListOf(TypeRef.Entity(entity)).NonNull();

    private static async Task<IReadOnlyList<CrmRecord>> ListAsync(IRecordApi records, string entity, Condition where, IReadOnlyList<SortBy> orderBy, int first, CancellationToken cancellationToken) =>
        (await records.QueryAsync(entity, new RecordQuery { Where = where, OrderBy = orderBy, First = first }, cancellationToken)).Records;
}
