using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>Text-valued kinds: length, pattern and a per-kind format check.</summary>
public abstract class TextKindBase : FieldKind
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    /// <summary>Patterns run with a timeout so a tenant's regular expression can't stall a write.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    protected override Type StorageType => typeof(string);

    /// <summary>The length limit when the definition sets none, and the most it may set.</summary>
    public abstract int DefaultMaxLength { get; }

    public virtual int HardMaxLength => DefaultMaxLength;

    public int EffectiveMaxLength(FieldDefinition field) => field.MaxLength ?? DefaultMaxLength;

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (field.MaxLength is { } max && (max < 1 || max > HardMaxLength))
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"maxLength of '{field.Name}' must be between 1 and {HardMaxLength}.", "maxLength");
        }

        if (field.Pattern is { } pattern && TryGetPattern(pattern) is null)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"pattern of '{field.Name}' is not a valid regular expression.", "pattern");
        }
    }

    public override FieldValue Normalize(FieldDefinition field, object input)
    {
        if (LooseConvert.Unwrap(input) is not string text)
        {
            return Invalid(field, "a string");
        }

        if (!LooseConvert.IsStorableText(text))
        {
            return FieldValue.Fail(ErrorCodes.InvalidValue, $"Field '{field.Name}' can't hold a NUL character or a lone surrogate.", field.Name);
        }

        text = Clean(text);
        if (text.Length > EffectiveMaxLength(field))
        {
            return FieldValue.Fail(ErrorCodes.TooLong, $"Field '{field.Name}' allows at most {EffectiveMaxLength(field)} characters; got {text.Length}.", field.Name);
        }

        if (text.Length > 0 && CheckFormat(field, text) is { } formatError)
        {
            return formatError;
        }

        if (text.Length > 0 && field.Pattern is { } pattern)
        {
            var regex = TryGetPattern(pattern)!;
            bool matches;
            try
            {
                matches = regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (!matches)
            {
                return FieldValue.Fail(ErrorCodes.PatternMismatch, $"Field '{field.Name}' must match the pattern {pattern}.", field.Name);
            }
        }

        return FieldValue.Ok(text);
    }

    protected virtual string Clean(string text) => text;

    protected virtual FieldValue? CheckFormat(FieldDefinition field, string text) => null;

    private static Regex? TryGetPattern(string pattern)
    {
        try
        {
            return Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, PatternTimeout));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

public sealed class TextKind : TextKindBase
{
    public override FieldType Type => FieldType.Text;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [.. Textual, FieldType.Integer, FieldType.Decimal];

    public override int DefaultMaxLength => 255;

    public override int HardMaxLength => 4000;
}

public sealed class LongTextKind : TextKindBase
{
    public override FieldType Type => FieldType.LongText;

    public override bool IsSortable => false;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [.. Textual, FieldType.Integer, FieldType.Decimal];

    public override int DefaultMaxLength => 100_000;

    public override bool SupportsUnique => false;
}

public sealed partial class EmailKind : TextKindBase
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    public override FieldType Type => FieldType.Email;

    public override IReadOnlyCollection<FieldType> ConvertsTo => Textual;

    public override int DefaultMaxLength => 254;

    // Addresses compare case-insensitively in practice; storing them lowered makes unique and
    // equality checks behave the way people expect.
    protected override string Clean(string text) => text.Trim().ToLowerInvariant();

    protected override FieldValue? CheckFormat(FieldDefinition field, string text) =>
        EmailPattern().IsMatch(text) ? null : Invalid(field, "an e-mail address such as name@example.com");
}

public sealed partial class PhoneKind : TextKindBase
{
    [GeneratedRegex(@"^\+?[0-9\s\-().]{5,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    public override FieldType Type => FieldType.Phone;

    public override IReadOnlyCollection<FieldType> ConvertsTo => Textual;

    public override int DefaultMaxLength => 40;

    protected override string Clean(string text) => text.Trim();

    protected override FieldValue? CheckFormat(FieldDefinition field, string text) =>
        PhonePattern().IsMatch(text) && text.Count(char.IsAsciiDigit) >= 5 ? null : Invalid(field, "a phone number such as +86 10 1234 5678");
}

public sealed class UrlKind : TextKindBase
{
    public override FieldType Type => FieldType.Url;

    public override IReadOnlyCollection<FieldType> ConvertsTo => Textual;

    public override int DefaultMaxLength => 2048;

    protected override string Clean(string text) => text.Trim();

    protected override FieldValue? CheckFormat(FieldDefinition field, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : Invalid(field, "an absolute http or https URL");
}
