using System.Text.Json;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;

namespace CrmEngine.PluginHost.Loading;

/// <summary>
/// The error codes a plugin refuses with: UPPER_SNAKE_CASE, declared in its manifest
/// (<c>"errorCodes": { "PARTNER_INACTIVE": "The partner is not active." }</c>) and never one of the
/// engine's, so a client branching on a code knows whose meaning it has.
/// </summary>
public static partial class PluginErrorCodes
{
    public const string ManifestKey = "errorCodes";

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Upper-case letters and digits in words joined by single underscores, at most 64 characters.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: > 0 and <= 64 } && Pattern().IsMatch(code);

    /// <summary>
    /// Reads the manifest's declaration: null when it has none (a plugin built for SDK 0.1), else
    /// each code with its description; the error says what is wrong with a bad one.
    /// </summary>
    public static (IReadOnlyDictionary<string, string>? Codes, string? Error) Read(JsonElement root, string pluginId)
    {
        if (!root.TryGetProperty(ManifestKey, out var declared))
        {
            return (null, null);
        }

        var where = $"{PluginManifest.FileName} of '{pluginId}'";
        if (declared.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{where}: '{ManifestKey}' must be an object of codes and what they mean, such as {{ \"PARTNER_INACTIVE\": \"The partner is not active.\" }}.");
        }

        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in declared.EnumerateObject())
        {
            if (!IsWellFormed(code.Name))
            {
                return (null, $"{where}: error code '{code.Name}' must be UPPER_SNAKE_CASE (letters, digits, single underscores; at most 64 characters).");
            }

            if (ErrorCodes.All.Contains(code.Name))
            {
                return (null, $"{where}: error code '{code.Name}' is one of the engine's codes; refuse with it as it is, or declare a code of your own (a vendor prefix such as ACME_ keeps it apart from codes the engine adds later).");
            }

            if (code.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(code.Value.GetString()))
            {
                return (null, $"{where}: error code '{code.Name}' needs a description of when it is used.");
            }

            codes[code.Name] = code.Value.GetString()!;
        }

        return (codes, null);
    }
}
