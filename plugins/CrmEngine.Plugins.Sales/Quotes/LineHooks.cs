using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Quotes;

/// <summary>
/// Prices a line whenever it is written (unit price from the header's price list, else the product's
/// list price; tax rate from the product) and keeps its header's totals the exact sum of its lines,
/// in the same transaction. The computed figures are the plugin's: clients can't write them. A new
/// line belongs to its header's owner, whoever adds it, so whoever sees a quote or order sees all of
/// its lines (accepting or revising a quote copies every one).
/// </summary>
internal abstract class LineHooks(string lineEntity, string headerEntity, string headerField) : IBeforeRecordHook
{
    public string Entity => lineEntity;

    public RecordOperations Operations => RecordOperations.All;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && LineFigures.Fields.FirstOrDefault(record.IsChanging) is { } computed)
        {
            throw new OperationException(SalesErrors.ComputedField, $"'{computed}' is computed from quantity, unit price, discount and tax rate.", computed);
        }

        var records = record.PrivilegedRecords;
        var deleting = record.Operation == RecordOperations.Delete;
        if (await Visibility.LinkedAsync(record, headerField, headerEntity, cancellationToken) is not { } header)
        {
            return;
        }

        if (await LockedAsync(record, header) is { } reason)
        {
            record.Reject(reason, headerField);
            return;
        }

        if (record.Operation == RecordOperations.Update && record.IsChanging(headerField))
        {
            record.Reject("A line stays on its own document; delete it and add a new one instead.", headerField);
            return;
        }

        if (record.Operation == RecordOperations.Create && header.OwnerId is { } owner)
        {
            record.SetValue("ownerId", owner);
        }

        var settings = await SalesSettings.LoadAsync(record, cancellationToken);
        LineFigures? figures = null;
        if (!deleting)
        {
            figures = await PriceAsync(record, records, header, settings.Currency, cancellationToken);
            if (figures is null)
            {
                return;
            }
        }

        var others = new List<LineFigures>();
        await foreach (var line in records.QueryAllAsync(lineEntity, Condition.Eq(headerField, header.Id).And(Condition.Ne("id", record.RecordId)), cancellationToken: cancellationToken))
        {
            others.Add(LineFigures.Read(line));
        }

        var totals = LineFigures.Sum(figures is null ? others : others.Append(figures));
        await Writes.OrRejectAsync(record, records.UpdateAsync(headerEntity, header.Id, totals.HeaderValues(settings.Currency), cancellationToken: cancellationToken));
    }

    /// <summary>Why the header's lines can't change now, or null.</summary>
    protected abstract Task<string?> LockedAsync(IRecordContext record, CrmRecord header);

    private static async Task<LineFigures?> PriceAsync(IRecordContext record, IRecordApi records, CrmRecord header, string currency, CancellationToken cancellationToken)
    {
        var product = record.GetValue("product") is Guid productId ? await records.GetAsync(ProductEntities.Product, productId, cancellationToken) : null;
        if (record.GetValue("unitPrice") is not Money unitPrice)
        {
            var listed = header.GetValue("priceList") is Guid priceList && product is not null
                ? (await records.FindAsync(ProductEntities.PriceListItem, Condition.Eq("priceList", priceList).And(Condition.Eq("product", product.Id)), 1, cancellationToken)).FirstOrNull()?.GetValue<Money>("unitPrice")
                : null;
            unitPrice = listed ?? product?.GetValue<Money>("listPrice") ?? new Money(0, currency);
            record.SetValue("unitPrice", unitPrice);
        }

        if (record.GetValue("taxRate") is not decimal taxRate)
        {
            taxRate = product?.GetValue<decimal?>("taxRate") ?? 0m;
            record.SetValue("taxRate", taxRate);
        }

        if (record.GetValue("description") is null && product is not null)
        {
            record.SetValue("description", product.GetValue<string>("name"));
        }

        var quantity = record.GetValue("quantity") as decimal? ?? 0m;
        if (quantity <= 0)
        {
            record.Reject("The quantity must be more than zero.", "quantity");
            return null;
        }

        var figures = LineFigures.Of(quantity, unitPrice.Amount, record.GetValue("discountPercent") as decimal? ?? 0m, taxRate);
        foreach (var (field, value) in figures.LineValues(currency))
        {
            record.SetValue(field, value);
        }

        return figures;
    }
}

/// <summary>Quote lines change only while the quote is a draft; after that, make a revision.</summary>
internal sealed class QuoteLineHooks() : LineHooks(QuoteEntities.QuoteLine, QuoteEntities.Quote, "quote")
{
    protected override Task<string?> LockedAsync(IRecordContext record, CrmRecord header) =>
        Task.FromResult(header.GetValue<string>("status") == "draft" ? null : $"Quote {header.GetValue<string>("number")} is {header.GetValue<string>("status")}; its lines are fixed. Make a revision (reviseQuote) to change them.");
}

/// <summary>Order lines come from the accepted quote; a cancelled order's lines are fixed.</summary>
internal sealed class OrderLineHooks() : LineHooks(OrderEntities.OrderLine, OrderEntities.Order, "order")
{
    protected override Task<string?> LockedAsync(IRecordContext record, CrmRecord header) =>
        Task.FromResult(header.GetValue<string>("status") == "cancelled" ? $"Order {header.GetValue<string>("number")} is cancelled." : null);
}

/// <summary>Totals are computed from the lines, and statuses that mean something (accepted, superseded) come from the quote operations.</summary>
internal sealed class QuoteGuard : IRecordValidator
{
    private static readonly string[] Managed = ["revision", "previousRevision", "acceptedAt"];

    public string Entity => QuoteEntities.Quote;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsDirect)
        {
            return Task.CompletedTask;
        }

        if (LineFigures.HeaderFields.FirstOrDefault(record.IsChanging) is { } computed)
        {
            throw new OperationException(SalesErrors.ComputedField, $"'{computed}' is the sum of the quote's lines.", computed);
        }
        else if (record.IsChanging("status") && record.GetValue("status") as string is "accepted" or "superseded")
        {
            record.Reject("Quotes are accepted with acceptQuote and superseded with reviseQuote.", "status");
        }
        else if (record.Operation == RecordOperations.Update && record.GetPreviousValue("status") as string is "accepted" or "superseded")
        {
            record.Reject($"This quote is {record.GetPreviousValue("status")}; it can't change.", "status");
        }
        else if (Managed.FirstOrDefault(record.IsChanging) is { } managed && record.Operation == RecordOperations.Update)
        {
            record.Reject($"'{managed}' is kept by reviseQuote and acceptQuote.", managed);
        }

        return Task.CompletedTask;
    }
}
