using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Analytics;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Payments;

/// <summary>
/// <c>collections(groupBy, asOf)</c> (回款统计): per order, account or rep, what the payment plans
/// expect, what was received, what is outstanding and how much of it is overdue (due before asOf).
/// </summary>
internal sealed class CollectionsReport : IPluginOperation
{
    public string Name => "collections";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Outstanding and overdue amounts (回款) per order, account or rep, from the payment plans.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("groupBy", TypeRef.Enum("CollectionsGrouping", "ORDER", "ACCOUNT", "REP").NonNull()),
        new("asOf", TypeRef.Date, "Instalments due before this day are overdue; today (tenant time zone) when omitted."),
        .. Scope.Arguments,
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("CollectionsRow",
        new FieldRef("order", TypeRef.Entity(OrderEntities.Order)),
        new FieldRef("account", TypeRef.Entity(AccountEntity.Name)),
        new FieldRef("ownerId", TypeRef.UserId),
        new FieldRef("ownerName", TypeRef.String),
        new FieldRef("due", TypeRef.Decimal.NonNull(), "What the instalments expect."),
        new FieldRef("received", TypeRef.Decimal.NonNull()),
        new FieldRef("outstanding", TypeRef.Decimal.NonNull()),
        new FieldRef("overdue", TypeRef.Decimal.NonNull(), "Outstanding on instalments due before asOf."))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var asOf = context.Argument<DateOnly?>("asOf") ?? Periods.Today(DateTime.UtcNow, settings.Zone);
        var scope = await Scope.ReadAsync(context, cancellationToken);
        var field = context.Argument<string>("groupBy") switch { "ORDER" => "order", "ACCOUNT" => "account", _ => "ownerId" };
        var plans = scope.And(Condition.Through("order", Condition.Ne("status", "cancelled")));
        var (amount, received, outstanding) = (Aggregate.Sum("amount"), Aggregate.Sum("receivedAmount"), Aggregate.Sum("outstandingAmount"));
        var all = await records.AggregateAsync(PaymentEntities.Plan, new AggregateRequest { Where = plans, GroupBy = [new Grouping(field)], Values = [amount, received, outstanding], GroupLimit = 1000 }, cancellationToken);
        var late = (await records.AggregateAsync(PaymentEntities.Plan, new AggregateRequest { Where = plans.And(Condition.Lt("dueDate", asOf)), GroupBy = [new Grouping(field)], Values = [outstanding], GroupLimit = 1000 }, cancellationToken))
            .Groups.ToDictionary(g => g.Key[0] ?? Guid.Empty, g => g.Value<decimal?>(outstanding) ?? 0m);
        var users = (await context.Directory.GetUsersAsync(cancellationToken)).ToDictionary(u => u.Id);
        var rows = new List<Dictionary<string, object?>>();
        foreach (var group in all.Groups.OrderByDescending(g => g.Value<decimal?>(outstanding) ?? 0m))
        {
            var key = group.Key[0] as Guid?;
            var order = field == "order" && key is { } o ? await records.GetAsync(OrderEntities.Order, o, cancellationToken) : null;
            var accountId = field == "account" ? key : order?.GetValue("account") as Guid?;
            var owner = field == "ownerId" ? key : order?.OwnerId;
            rows.Add(new Dictionary<string, object?>
            {
                ["order"] = order,
                ["account"] = accountId is { } a ? await records.GetAsync(AccountEntity.Name, a, cancellationToken) : null,
                ["ownerId"] = owner,
                ["ownerName"] = owner is { } u ? users.GetValueOrDefault(u)?.DisplayName : null,
                ["due"] = group.Value<decimal?>(amount) ?? 0m,
                ["received"] = group.Value<decimal?>(received) ?? 0m,
                ["outstanding"] = group.Value<decimal?>(outstanding) ?? 0m,
                ["overdue"] = late.GetValueOrDefault(key ?? Guid.Empty),
            });
        }

        return rows;
    }
}
