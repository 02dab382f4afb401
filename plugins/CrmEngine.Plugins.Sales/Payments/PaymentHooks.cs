using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Payments;

/// <summary>
/// A payment (new, corrected, deleted or restored) belongs to its order's account and owner, is more
/// than zero and never takes the order past its total; its order's and instalments' received and
/// outstanding amounts follow in the same transaction. Commissions follow after commit.
/// </summary>
internal sealed class PaymentHooks : IBeforeRecordHook
{
    public string Entity => PaymentEntities.Payment;

    public RecordOperations Operations => RecordOperations.All;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var records = record.PrivilegedRecords;
        if (record.Operation == RecordOperations.Update && record.IsChanging("order"))
        {
            record.Reject("A payment stays on its order; delete it and record it against the other order.", "order");
            return;
        }

        if (await Visibility.LinkedAsync(record, "order", OrderEntities.Order, cancellationToken) is not { } order)
        {
            return;
        }

        if (order.GetValue<string>("status") == "cancelled" && record.Operation != RecordOperations.Delete)
        {
            record.Reject($"Order {order.GetValue<string>("number")} is cancelled.", "order");
            return;
        }

        var counts = record.Operation is RecordOperations.Create or RecordOperations.Update or RecordOperations.Restore;
        var amount = counts ? (record.GetValue("amount") as Money)?.Amount ?? 0m : 0m;
        if (counts && amount <= 0)
        {
            record.Reject("A payment is more than zero; delete a payment to take it back.", "amount");
            return;
        }

        var settings = await SalesSettings.LoadAsync(record, cancellationToken);
        var received = await Collections.ReceivedAsync(records, order.Id, record.RecordId, cancellationToken) + amount;
        var total = MoneyMath.AmountOf(order, "total");
        if (received > total)
        {
            throw new OperationException(SalesErrors.ExceedsOutstanding, $"This payment would bring order {order.GetValue<string>("number")} to {received:0.00} received, more than its total {total:0.00} (outstanding {total - received + amount:0.00}).", "amount");
        }

        if (counts)
        {
            record.SetValue("account", order.GetValue("account"));
            if (record.Operation == RecordOperations.Create && order.OwnerId is { } owner)
            {
                record.SetValue("ownerId", owner);
            }
        }

        try
        {
            await Collections.ApplyAsync(records, order, received, settings.Currency, cancellationToken);
        }
        catch (OperationException e)
        {
            record.Reject(e.Message, e.Field);
        }
    }
}

/// <summary>An instalment belongs to its order's account and owner; what it has received comes from the order's payments only.</summary>
internal sealed class PaymentPlanHooks : IBeforeRecordHook
{
    private static readonly string[] Computed = ["receivedAmount", "outstandingAmount", "status"];

    public string Entity => PaymentEntities.Plan;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && Computed.FirstOrDefault(f => record.IsChanging(f) && !(f == "status" && record.Operation == RecordOperations.Create)) is { } computed)
        {
            throw new OperationException(SalesErrors.ComputedField, $"'{computed}' follows from the payments received against the order.", computed);
        }

        if (await Visibility.LinkedAsync(record, "order", OrderEntities.Order, cancellationToken) is not { } order)
        {
            return;
        }

        if (record.Operation == RecordOperations.Create)
        {
            record.SetValue("account", order.GetValue("account"));
            if (order.OwnerId is { } owner)
            {
                record.SetValue("ownerId", owner);
            }

            if (record.GetValue("amount") is Money money)
            {
                foreach (var (field, value) in Collections.PlanFigures(money.Amount, 0m, money.Currency))
                {
                    record.SetValue(field, value);
                }
            }
        }
        else if (record.IsChanging("amount") && record.GetValue("amount") is Money amount && record.GetValue("receivedAmount") is Money received && received.Amount > amount.Amount)
        {
            record.Reject("An instalment can't be less than what it has already received.", "amount");
        }
    }
}
