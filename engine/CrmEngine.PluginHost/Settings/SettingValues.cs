using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.PluginHost.Settings;

/// <summary>
/// What a plugin setting's value may be, by its <see cref="SettingType"/>: input (an admin's JSON
/// value, a plugin's declared default) becomes one canonical CLR value (string, long, decimal, bool),
/// kept as invariant text and read back exactly. Numbers may come as JSON numbers or as numeric
/// strings (so decimals keep every digit); nothing else is converted.
/// </summary>
public static partial class SettingValues
{
    /// <summary>The longest text a string setting takes.</summary>
    public const int MaxLength = 4000;

    /// <summary>The value <paramref name="input"/> gives the setting, or the typed error that refuses it (null input clears).</summary>
    public static object? Coerce(SettingDeclaration setting, object? input, out CrmError? error)
    {
        error = null;
        var value = input is JsonElement json ? FromJson(json) : input;
        if (value is null)
        {
            return null;
        }

        object? coerced = setting.Type switch
        {
            SettingType.String => value is string { Length: <= MaxLength } text ? text : null,
            SettingType.Integer => Number(value) is { } number && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue ? (long)number : null,
            SettingType.Decimal => Number(value),
            SettingType.Boolean => value as bool?,
            SettingType.Picklist => value is string option && setting.Options?.Any(o => o.Value == option) == true ? option : null,
            _ => null,
        };
        if (coerced is null)
        {
            error = setting.Type == SettingType.Picklist && value is string
                ? new CrmError(ErrorCodes.InvalidOption, $"'{value}' is not an option of setting '{setting.Name}'; use one of: {string.Join(", ", setting.Options?.Select(o => o.Value) ?? [])}.", setting.Name)
                : new CrmError(ErrorCodes.InvalidValue, $"Setting '{setting.Name}' takes {Describe(setting.Type)}.", setting.Name);
        }

        return coerced;
    }

    /// <summary>A canonical value as stored text.</summary>
    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Stored text as the canonical value of the type.</summary>
    public static object Parse(SettingType type, string text) => type switch
    {
        SettingType.Integer => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
        SettingType.Decimal => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        SettingType.Boolean => text == "true",
        _ => text,
    };

    /// <summary>Why a plugin's setting declarations are refused, or null when they are sound; their defaults made canonical.</summary>
    public static string? Check(string pluginId, List<SettingDeclaration> settings)
    {
        for (var i = 0; i < settings.Count; i++)
        {
            var setting = settings[i];
            var where = $"Plugin '{pluginId}' declares setting '{setting.Name}'";
            if (!Name().IsMatch(setting.Name))
            {
                return $"{where}: a setting name is camelCase letters and digits, at most 64.";
            }

            if (settings.Take(i).Any(s => s.Name == setting.Name))
            {
                return $"{where} twice.";
            }

            if ((setting.Type == SettingType.Picklist) != (setting.Options is { Count: > 0 }))
            {
                return $"{where}: options go with picklist settings, and a picklist setting needs at least one.";
            }

            var value = Coerce(setting, setting.DefaultValue, out var error);
            if (error is not null)
            {
                return $"{where} with a default that does not fit: {error.Message}";
            }

            settings[i] = setting with { DefaultValue = value };
        }

        return null;
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetDecimal(out var number) ? number : json.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => json.GetRawText(),
    };

    private static decimal? Number(object value) => value switch
    {
        int i => i,
        long l => l,
        decimal d => d,
        BigInteger b when b >= (BigInteger)decimal.MinValue && b <= (BigInteger)decimal.MaxValue => (decimal)b,
        double d when double.IsFinite(d) && Math.Abs(d) < 7.9e28 => decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture),
        string s when decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string Describe(SettingType type) => type switch
    {
        SettingType.String => $"text of at most {MaxLength} characters",
        SettingType.Integer => "a whole number",
        SettingType.Decimal => "a number",
        SettingType.Boolean => "true or false",
        _ => "one of its options",
    };

    [GeneratedRegex("^[a-z][A-Za-z0-9]{0,63}$")]
    private static partial Regex Name();
}
