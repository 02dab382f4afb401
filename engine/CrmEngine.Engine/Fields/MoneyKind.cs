using System.Globalization;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields;

/// <summary>Money is an exact amount column plus a currency column (<c>amount</c>, <c>amount_currency</c>).</summary>
public sealed partial class MoneyKind : FieldKind
{
    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();

    public override FieldType Type => FieldType.Money;

    protected override Type StorageType => typeof(decimal?);

    public override bool SupportsUnique => false;

    public override ApiValueType ApiType => ApiValueType.Money;

    /// <summary>Smallest and largest compare amounts, whatever their currencies.</summary>
    public override ApiValueType ExtremeType => ApiValueType.Decimal;

    public override ApiFilterType FilterType => ApiFilterType.Money;

    public override bool IsNumeric => true;

    public override IReadOnlyList<AggregateFunction> Aggregates => AllAggregates;

    // Amounts in different currencies are not one group.
    public override bool IsGroupable => false;

    public static string CurrencyColumn(FieldDefinition field) => Naming.ToSnakeCase(field.Name + "Currency");

    public static int EffectiveScale(FieldDefinition field) => field.Scale ?? 2;

    public override IReadOnlyList<StorageColumn> Columns(FieldDefinition field) =>
        [new(field.ColumnName, typeof(decimal?)), new(CurrencyColumn(field), typeof(string))];

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (field.Currency is { } code && !CurrencyCode().IsMatch(code))
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"currency of '{field.Name}' must be an ISO 4217 code such as CNY or USD.", "currency");
        }

        foreach (var error in NumberRules.ValidateScale(field))
        {
            yield return error;
        }
    }

    public override FieldValue Normalize(FieldDefinition field, object input)
    {
        decimal amount;
        string? currency;
        switch (LooseConvert.Unwrap(input))
        {
            case Money money:
                (amount, currency) = (LooseConvert.Canonical(money.Amount), money.Currency);
                break;
            case IReadOnlyDictionary<string, object?> map when LooseConvert.TryDecimal(map.GetValueOrDefault("amount"), out var a):
                (amount, currency) = (a, LooseConvert.Unwrap(map.GetValueOrDefault("currency")) as string);
                break;
            case IDictionary<string, object?> map when LooseConvert.TryDecimal(map.TryGetValue("amount", out var raw) ? raw : null, out var a):
                (amount, currency) = (a, map.TryGetValue("currency", out var c) ? LooseConvert.Unwrap(c) as string : null);
                break;
            case var other when LooseConvert.TryDecimal(other, out var a):
                (amount, currency) = (a, null);
                break;
            default:
                return Invalid(field, "an amount with a currency, such as { amount: 1200.50, currency: \"CNY\" }");
        }

        currency = string.IsNullOrWhiteSpace(currency) ? field.Currency : currency.Trim().ToUpperInvariant();
        if (currency is null)
        {
            return FieldValue.Fail(ErrorCodes.Required, $"Field '{field.Name}' needs a currency: it has no default currency.", field.Name);
        }

        if (!CurrencyCode().IsMatch(currency))
        {
            return Invalid(field, "an ISO 4217 currency code such as CNY or USD");
        }

        if (decimal.Round(amount, EffectiveScale(field)) != amount)
        {
            return FieldValue.Fail(ErrorCodes.InvalidValue, $"Field '{field.Name}' allows at most {EffectiveScale(field)} decimal places.", field.Name);
        }

        var value = new Money(amount, currency);
        return CheckRange(field, amount, value);
    }

    public override void Write(FieldDefinition field, object? value, IDictionary<string, object?> row)
    {
        var money = value as Money;
        row[field.ColumnName] = money?.Amount;
        row[CurrencyColumn(field)] = money?.Currency;
    }

    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) =>
        row.GetValueOrDefault(field.ColumnName) is decimal amount
            ? new Money(LooseConvert.Canonical(amount), row.GetValueOrDefault(CurrencyColumn(field)) as string ?? field.Currency ?? string.Empty)
            : null;

    public override string? FormatText(object? value) =>
        value is Money m ? m.Amount.ToString(CultureInfo.InvariantCulture) + " " + m.Currency : base.FormatText(value);
}
