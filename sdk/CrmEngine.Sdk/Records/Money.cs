namespace CrmEngine.Sdk.Records;

/// <summary>The value of a money field: an exact amount and its ISO 4217 currency code.</summary>
/// <param name="Amount">The amount, exact to the field's scale.</param>
/// <param name="Currency">The ISO 4217 currency code, such as CNY or USD.</param>
public sealed record Money(decimal Amount, string Currency)
{
    /// <summary>
    /// An amount rounded half away from zero (commercial rounding, 四舍五入) to
    /// <paramref name="decimals"/> places: 2.345 becomes 2.35, −2.345 becomes −2.35.
    /// </summary>
    /// <param name="amount">The exact amount.</param>
    /// <param name="decimals">The currency's minor unit: 2 for cents (CNY, USD, EUR), 0 for JPY.</param>
    public static decimal Round(decimal amount, int decimals = 2) => Math.Round(amount, decimals, MidpointRounding.AwayFromZero);

    /// <summary>The amount of a money field of a record, or 0 when the field is empty or not money.</summary>
    /// <param name="record">The record read.</param>
    /// <param name="field">The money field's API name.</param>
    public static decimal AmountOf(CrmRecord record, string field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.GetValue(field) is Money money ? money.Amount : 0m;
    }

    /// <summary>
    /// Splits <paramref name="total"/> into parts proportional to <paramref name="weights"/>, in
    /// whole minor units, so that the parts add up to the total exactly: each part is first cut
    /// down (toward zero) to whole units, then the units left over go one each to the parts that
    /// lost the most in the cut, the earlier part first on a tie (the largest-remainder method,
    /// which a finance person can redo by hand). All parts are 0 when there are no weights or they
    /// sum to 0.
    /// </summary>
    /// <param name="total">The amount to split, already rounded to <paramref name="decimals"/> places.</param>
    /// <param name="weights">The parts' weights, usually positive, for example order line amounts.</param>
    /// <param name="decimals">The currency's minor unit: 2 for cents.</param>
    public static decimal[] Allocate(decimal total, IReadOnlyList<decimal> weights, int decimals = 2)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var parts = new decimal[weights.Count];
        var sum = weights.Sum();
        if (weights.Count == 0 || sum == 0m)
        {
            return parts;
        }

        // Units per 1 (100 for cents). Dividing by it, rather than multiplying by 0.01, keeps whole
        // amounts whole (96000, not 96000.00), as clients see them in JSON.
        var perOne = 1m;
        for (var i = 0; i < decimals; i++)
        {
            perOne *= 10m;
        }

        var unit = 1m / perOne;
        var remainders = new decimal[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = total * weights[i] / sum;
            parts[i] = Math.Truncate(exact * perOne) / perOne;
            remainders[i] = exact - parts[i];
        }

        var spare = (int)Math.Round((total - parts.Sum()) * perOne);
        var order = Enumerable.Range(0, weights.Count).OrderByDescending(i => Math.Abs(remainders[i])).ThenBy(i => i);
        foreach (var i in order.Take(Math.Abs(spare)))
        {
            parts[i] += spare > 0 ? unit : -unit;
        }

        return parts;
    }
}
