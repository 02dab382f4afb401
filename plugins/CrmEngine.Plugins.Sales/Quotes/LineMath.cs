using CrmEngine.Plugins.Sales.Common;

namespace CrmEngine.Plugins.Sales.Quotes;

/// <summary>
/// How a quote or order line is priced, exactly: amount = quantity × unit price; discount = amount ×
/// discount% ; tax = (amount − discount) × tax% ; total = amount − discount + tax; each rounded to
/// cents half away from zero. A header's totals are the sums of its lines' figures.
/// </summary>
internal sealed record LineFigures(decimal Amount, decimal Discount, decimal Tax, decimal Total)
{
    public static readonly string[] Fields = ["amount", "discountAmount", "taxAmount", "total"];

    public static readonly string[] HeaderFields = ["subtotal", "discountTotal", "taxTotal", "total"];

    public static LineFigures Of(decimal quantity, decimal unitPrice, decimal discountPercent, decimal taxRate)
    {
        var amount = MoneyMath.Round(quantity * unitPrice);
        var discount = MoneyMath.Percent(amount, discountPercent);
        var tax = MoneyMath.Percent(amount - discount, taxRate);
        return new LineFigures(amount, discount, tax, amount - discount + tax);
    }

    public static LineFigures Read(CrmRecord line) =>
        new(MoneyMath.AmountOf(line, "amount"), MoneyMath.AmountOf(line, "discountAmount"), MoneyMath.AmountOf(line, "taxAmount"), MoneyMath.AmountOf(line, "total"));

    public static LineFigures Sum(IEnumerable<LineFigures> lines) =>
        lines.Aggregate(new LineFigures(0, 0, 0, 0), (a, b) => new LineFigures(a.Amount + b.Amount, a.Discount + b.Discount, a.Tax + b.Tax, a.Total + b.Total));

    public FieldValues LineValues(string currency) => new()
    {
        ["amount"] = new Money(Amount, currency),
        ["discountAmount"] = new Money(Discount, currency),
        ["taxAmount"] = new Money(Tax, currency),
        ["total"] = new Money(Total, currency),
    };

    public FieldValues HeaderValues(string currency) => new()
    {
        ["subtotal"] = new Money(Amount, currency),
        ["discountTotal"] = new Money(Discount, currency),
        ["taxTotal"] = new Money(Tax, currency),
        ["total"] = new Money(Total, currency),
    };
}
