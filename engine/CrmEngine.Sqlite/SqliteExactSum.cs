using System.Data.Common;
using System.Globalization;
using CrmEngine.Engine.Records.Querying.Aggregation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmEngine.Sqlite;

/// <summary>
/// SQLite keeps decimals as text, and EF sums them with its own <c>ef_sum</c> function, which adds
/// System.Decimal values: past 28-29 significant digits it rounds, past decimal's range it throws.
/// This replaces <c>ef_sum</c> on the engine's connections with an exact one (decimal arithmetic
/// while that is exact, then <see cref="ExactDecimal"/>), whose result is the sum as text. Queries
/// read it as text (the aggregator converts the sum with ToString, which EF sends as a CAST), so
/// sums of any size reach the engine whole. EF registers its functions when it creates or adopts a
/// connection, so the replacement is installed after that: on creation here, and by the read pool
/// after it binds a context.
/// </summary>
internal static class SqliteExactSum
{
    /// <summary>Text this short holds at most 28 digits, which a decimal parses exactly.</summary>
    private const int ExactDecimalText = 28;

    public static DbConnectionInterceptor Interceptor { get; } = new OnCreated();

    public static void Install(SqliteConnection connection) =>
        connection.CreateAggregate(
            "ef_sum",
            seed: (Sum?)null,
            func: (Sum? sum, string? value) => value is null ? sum : (sum ?? new Sum()).Add(value),
            resultSelector: sum => sum?.ToString(),
            isDeterministic: true);

    /// <summary>A running sum: a decimal while that is exact, an <see cref="ExactDecimal"/> from then on.</summary>
    private sealed class Sum
    {
        private decimal _small;
        private ExactDecimal? _exact;

        public Sum Add(string text)
        {
            if (_exact is null && text.Length <= ExactDecimalText
                && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                try
                {
                    var next = _small + value;
                    // A decimal that ran out of digits drops decimal places: the sum was rounded.
                    if (next.Scale >= Math.Max(_small.Scale, value.Scale))
                    {
                        _small = next;
                        return this;
                    }
                }
                catch (OverflowException)
                {
                    // Beyond decimal's range: carried on exactly below.
                }
            }

            var number = ExactDecimal.TryParse(text, out var parsed) ? parsed : throw new FormatException($"'{text}' in a numeric column is not a number.");
            _exact = (_exact ?? ExactDecimal.From(_small)) + number;
            return this;
        }

        public override string ToString() => (_exact ?? ExactDecimal.From(_small)).ToString();
    }

    private sealed class OnCreated : DbConnectionInterceptor
    {
        public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
        {
            if (result is SqliteConnection connection)
            {
                Install(connection);
            }

            return result;
        }
    }
}
