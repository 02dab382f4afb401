using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Identity;

namespace CrmEngine.Plugins.Sales.Commissions;

/// <summary>
/// What a payment earns its rep (the order's owner). Per rep: the payment × the rep's rate (their
/// profile's, else the tenant default). Per product: the payment is split over the order's lines in
/// proportion to their totals (to the cent, adding up exactly) and each part earns its product's rate
/// (else the rep's, else the default). Every part is rounded to cents.
/// </summary>
internal static class CommissionRules
{
    public static async Task<(decimal Amount, decimal? Rate)> EarnedAsync(IRecordApi records, IUserDirectory directory, SalesSettings settings, CrmRecord order, decimal payment, CancellationToken cancellationToken)
    {
        var rep = order.OwnerId is { } owner ? await Reps.FindAsync(records, directory, owner, cancellationToken) : null;
        var repRate = rep?.CommissionRate ?? settings.DefaultCommissionRate;
        if (settings.CommissionBasis != "product")
        {
            return (MoneyMath.Percent(payment, repRate), repRate);
        }

        var lines = await records.FindAsync(OrderEntities.OrderLine, Condition.Eq("order", order.Id), 500, cancellationToken);
        if (lines.Count == 0)
        {
            return (MoneyMath.Percent(payment, repRate), repRate);
        }

        var parts = MoneyMath.Allocate(payment, lines.Select(l => MoneyMath.AmountOf(l, "total")).ToList());
        var earned = 0m;
        for (var i = 0; i < lines.Count; i++)
        {
            var product = lines[i].GetValue("product") is Guid id ? await records.GetAsync(ProductEntities.Product, id, cancellationToken) : null;
            earned += MoneyMath.Percent(parts[i], product?.GetValue<decimal?>("commissionRate") ?? repRate);
        }

        return (earned, null);
    }
}

/// <summary>
/// After a payment is recorded, corrected, deleted or restored (at least once, after commit), its
/// commissions are reconciled to what it earns now: a pending commission is updated; when only paid
/// ones exist, the difference becomes a pending adjustment. Running twice changes nothing.
/// </summary>
internal sealed class CommissionReconciler : IAfterRecordHook
{
    public string Entity => PaymentEntities.Payment;

    public RecordOperations Operations => RecordOperations.All;

    public async Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken)
    {
        var records = change.Records;
        var payment = await records.GetAsync(PaymentEntities.Payment, change.RecordId, cancellationToken);
        var existing = await records.FindAsync(CommissionEntity.Name, Condition.Eq("payment", change.RecordId), 100, cancellationToken);
        var orderId = payment?.GetValue("order") as Guid? ?? existing.Select(c => c.GetValue("order") as Guid?).FirstOrDefault(o => o is not null);
        if (orderId is null || await records.GetAsync(OrderEntities.Order, orderId.Value, cancellationToken) is not { } order)
        {
            return;
        }

        var settings = await SalesSettings.LoadAsync(records, cancellationToken);
        var baseAmount = payment is null ? 0m : MoneyMath.AmountOf(payment, "amount");
        var (earned, rate) = await CommissionRules.EarnedAsync(records, change.Directory, settings, order, baseAmount, cancellationToken);
        var delta = earned - existing.Sum(c => MoneyMath.AmountOf(c, "amount"));
        if (delta == 0 && existing.Count > 0)
        {
            return;
        }

        var currency = settings.Currency;
        var pending = existing.Where(c => c.GetValue<string>("status") == "pending").OrderByDescending(c => c.CreatedAt).FirstOrDefault();
        WriteOutcome outcome;
        if (pending is not null)
        {
            outcome = await records.UpdateAsync(CommissionEntity.Name, pending.Id, new FieldValues
            {
                ["amount"] = new Money(MoneyMath.AmountOf(pending, "amount") + delta, currency),
                ["baseAmount"] = new Money(baseAmount, currency),
                ["rate"] = rate,
                ["note"] = payment is null ? "Payment deleted" : pending.GetValue("note"),
            }, pending.Version, cancellationToken);
        }
        else
        {
            outcome = await records.CreateAsync(CommissionEntity.Name, new FieldValues
            {
                ["payment"] = payment?.Id,
                ["order"] = order.Id,
                ["baseAmount"] = new Money(baseAmount, currency),
                ["rate"] = rate,
                ["amount"] = new Money(existing.Count == 0 ? earned : delta, currency),
                ["kind"] = existing.Count == 0 ? "original" : "adjustment",
                ["note"] = existing.Count == 0 ? null : payment is null ? $"Payment {change.RecordId} deleted" : "Payment corrected",
                ["ownerId"] = order.OwnerId,
            }, cancellationToken);
        }

        if (!outcome.Succeeded)
        {
            // Thrown so the outbox retries with back-off.
            throw new InvalidOperationException($"Commission for payment {change.RecordId}: {outcome.Errors[0].Message}");
        }
    }
}
