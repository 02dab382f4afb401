using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Orders;

/// <summary>
/// Orders keep their computed figures to themselves (totals from lines, received and outstanding
/// from payments), and a new order moves its account along the lifecycle: the first order makes a
/// converted customer, later ones an active one, loyalAfterOrders a loyal one.
/// </summary>
internal sealed class OrderHooks : IBeforeRecordHook
{
    private static readonly string[] Computed = [.. LineFigures.HeaderFields, "receivedAmount", "outstandingAmount", "paymentStatus"];

    public string Entity => OrderEntities.Order;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && Computed.FirstOrDefault(record.IsChanging) is { } computed && (record.Operation == RecordOperations.Update || computed != "paymentStatus"))
        {
            throw new OperationException(SalesErrors.ComputedField, $"'{computed}' is computed (from the lines, or from the payments received).", computed);
        }

        if (record.Operation != RecordOperations.Create || await Visibility.LinkedAsync(record, "account", AccountEntity.Name, cancellationToken) is not { } account)
        {
            return;
        }

        var records = record.PrivilegedRecords;
        var settings = await SalesSettings.LoadAsync(record, cancellationToken);
        var orderDate = record.GetValue("orderDate") as DateOnly? ?? Periods.Today(DateTime.UtcNow, settings.Zone);
        record.SetValue("orderDate", orderDate);

        var orders = await records.CountAsync(OrderEntities.Order, Condition.Eq("account", account.Id).And(Condition.Ne("status", "cancelled")), cancellationToken) + 1;
        var stage = orders >= settings.LoyalAfterOrders ? "loyal" : orders > 1 ? "active" : "converted";
        var changes = new FieldValues { ["lifecycleStage"] = stage };
        if (account.GetValue("lastOrderOn") is not DateOnly last || last < orderDate)
        {
            changes["lastOrderOn"] = orderDate;
        }

        if (account.GetValue("customerSince") is not DateOnly since || since > orderDate)
        {
            changes["customerSince"] = orderDate;
        }

        await Writes.OrRejectAsync(record, records.UpdateAsync(AccountEntity.Name, account.Id, changes, cancellationToken: cancellationToken));
    }
}
