using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>
/// An exact decimal number of any size: an integer and a count of decimal places. Sums need it:
/// two Int64 maxima add up beyond Int64, two decimal maxima beyond decimal, and a decimal rounds
/// silently once a sum needs more than its 28-29 significant digits. Kept without trailing zeros,
/// so equal numbers look alike whichever store computed them. Written to JSON as a number.
/// </summary>
[JsonConverter(typeof(ExactDecimalJsonConverter))]
public readonly struct ExactDecimal : IEquatable<ExactDecimal>
{
    /// <summary>decimal's limits: 96 bits of digits, at most 28 decimal places.</summary>
    private const int MaxDecimalScale = 28;
    private static readonly BigInteger MaxDecimalDigits = (BigInteger.One << 96) - 1;

    private ExactDecimal(BigInteger unscaled, int scale)
    {
        while (scale > 0 && !unscaled.IsZero && BigInteger.Remainder(unscaled, 10).IsZero)
        {
            unscaled /= 10;
            scale--;
        }

        Unscaled = unscaled.IsZero ? BigInteger.Zero : unscaled;
        Scale = unscaled.IsZero ? 0 : scale;
    }

    /// <summary>The digits as an integer: the value is Unscaled / 10^Scale.</summary>
    public BigInteger Unscaled { get; }

    /// <summary>How many of the digits are decimal places (never negative).</summary>
    public int Scale { get; }

    public static ExactDecimal Zero => default;

    public static ExactDecimal From(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var digits = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return new ExactDecimal(bits[3] < 0 ? -digits : digits, (bits[3] >> 16) & 0xFF);
    }

    public static ExactDecimal From(long value) => new(value, 0);

    public static ExactDecimal From(BigInteger value) => new(value, 0);

    /// <summary>Reads invariant number text as stores write it: <c>-12.50</c>, <c>1e3</c>, <c>1.5E-7</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ExactDecimal value)
    {
        value = default;
        text = text.Trim();
        var exponent = 0;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 10_000)
            {
                return false;
            }

            text = text[..e];
        }

        var negative = text is ['-', ..];
        text = text is ['-' or '+', ..] ? text[1..] : text;
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? ReadOnlySpan<char>.Empty : text[(point + 1)..];
        if (whole.Length + fraction.Length == 0 || !IsDigits(whole) || !IsDigits(fraction))
        {
            return false;
        }

        var digits = BigInteger.Parse(string.Concat(whole, fraction), NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = fraction.Length - exponent;
        if (scale < 0)
        {
            digits *= BigInteger.Pow(10, -scale);
            scale = 0;
        }

        value = new ExactDecimal(negative ? -digits : digits, scale);
        return true;
    }

    public static ExactDecimal Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a decimal number.");

    public static ExactDecimal operator +(ExactDecimal left, ExactDecimal right) => left.Add(right);

    public static bool operator ==(ExactDecimal left, ExactDecimal right) => left.Equals(right);

    public static bool operator !=(ExactDecimal left, ExactDecimal right) => !left.Equals(right);

    public ExactDecimal Add(ExactDecimal other)
    {
        var scale = Math.Max(Scale, other.Scale);
        return new ExactDecimal(Rescale(Unscaled, Scale, scale) + Rescale(other.Unscaled, other.Scale, scale), scale);
    }

    /// <summary>The same number as a decimal, when a decimal holds it exactly.</summary>
    public bool TryToDecimal(out decimal value)
    {
        var magnitude = BigInteger.Abs(Unscaled);
        if (Scale > MaxDecimalScale || magnitude > MaxDecimalDigits)
        {
            value = 0;
            return false;
        }

        value = ToDecimal(magnitude, Unscaled.Sign < 0, Scale);
        return true;
    }

    /// <summary>
    /// This number divided by <paramref name="divisor"/> as the nearest decimal: as many decimal
    /// places as a decimal holds for the quotient's size, rounded half to even, once.
    /// </summary>
    /// <exception cref="OverflowException">The quotient is beyond decimal's range.</exception>
    public decimal DivideToDecimal(long divisor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(divisor);
        var whole = BigInteger.Abs(Unscaled) / (divisor * BigInteger.Pow(10, Scale));
        var wholeDigits = whole.IsZero ? 0 : whole.ToString(CultureInfo.InvariantCulture).Length;
        for (var places = Math.Clamp(29 - wholeDigits, 0, MaxDecimalScale); places >= 0; places--)
        {
            // Unscaled * 10^places / (divisor * 10^Scale), rounded to an integer: the quotient's digits at that many places.
            var numerator = Rescale(Unscaled, 0, Math.Max(0, places - Scale));
            var denominator = divisor * BigInteger.Pow(10, Math.Max(0, Scale - places));
            var quotient = RoundedQuotient(numerator, denominator);
            if (BigInteger.Abs(quotient) <= MaxDecimalDigits)
            {
                return Fields.LooseConvert.Canonical(ToDecimal(BigInteger.Abs(quotient), quotient.Sign < 0, places));
            }
        }

        throw new OverflowException("The quotient is beyond the range of a decimal.");
    }

    public bool Equals(ExactDecimal other) => Scale == other.Scale && Unscaled == other.Unscaled;

    public override bool Equals(object? obj) => obj is ExactDecimal other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Unscaled, Scale);

    /// <summary>Invariant text without an exponent or trailing zeros: <c>-1234.5</c>.</summary>
    public override string ToString()
    {
        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture);
        if (Scale > 0)
        {
            digits = digits.PadLeft(Scale + 1, '0');
            digits = string.Concat(digits.AsSpan(0, digits.Length - Scale), ".", digits.AsSpan(digits.Length - Scale));
        }

        return Unscaled.Sign < 0 ? "-" + digits : digits;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static BigInteger Rescale(BigInteger unscaled, int from, int to) => to > from ? unscaled * BigInteger.Pow(10, to - from) : unscaled;

    private static BigInteger RoundedQuotient(BigInteger numerator, BigInteger denominator)
    {
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = BigInteger.Abs(remainder) * 2;
        var away = twice > denominator || (twice == denominator && !quotient.IsEven);
        return away ? quotient + (numerator.Sign < 0 ? -1 : 1) : quotient;
    }

    private static decimal ToDecimal(BigInteger magnitude, bool negative, int scale) =>
        new((int)(uint)(magnitude & uint.MaxValue), (int)(uint)((magnitude >> 32) & uint.MaxValue), (int)(uint)(magnitude >> 64), negative, (byte)scale);
}

/// <summary>Writes an <see cref="ExactDecimal"/> as a JSON number with all its digits; reads numbers and numeric strings.</summary>
public sealed class ExactDecimalJsonConverter : JsonConverter<ExactDecimal>
{
    public override ExactDecimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType is JsonTokenType.Number or JsonTokenType.String
            ? System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)
            : throw new JsonException("A decimal number is expected.");
        return ExactDecimal.TryParse(text, out var value) ? value : throw new JsonException($"'{text}' is not a decimal number.");
    }

    public override void Write(Utf8JsonWriter writer, ExactDecimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToString(), skipInputValidation: true);
}
