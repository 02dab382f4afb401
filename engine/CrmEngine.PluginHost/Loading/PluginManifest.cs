using System.Text.Json;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Metadata;
using NuGet.Versioning;

namespace CrmEngine.PluginHost.Loading;

/// <summary>
/// A plugin's <c>plugin.json</c>, read before any of its code loads, so a plugin that can't work here
/// (bad manifest, wrong SDK, missing dependency) is refused without running it.
/// </summary>
public sealed partial record PluginManifest(
    string Id,
    NuGetVersion Version,
    string Assembly,
    LocalizedText DisplayName,
    LocalizedText? Description,
    VersionRange Sdk,
    IReadOnlyDictionary<string, VersionRange> Dependencies,
    IReadOnlyDictionary<string, string>? ErrorCodes = null)
{
    public const string FileName = "plugin.json";

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    /// <summary>Reads and checks a manifest; the error says what is wrong with it.</summary>
    public static (PluginManifest? Manifest, string? Error) Read(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, $"{FileName} is not valid JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{FileName} must be a JSON object.");
        }

        var id = String(root, "id");
        if (id is null || !IdPattern().IsMatch(id))
        {
            return (null, $"{FileName} needs an 'id' of 2 to 40 lower-case letters, digits or dashes.");
        }

        if (!PluginVersion.TryParse(String(root, "version"), out var version))
        {
            return (null, $"{FileName} of '{id}' needs a semantic 'version' such as 1.0.0.");
        }

        var assembly = String(root, "assembly");
        if (assembly is null || assembly.Contains('/', StringComparison.Ordinal) || assembly.Contains('\\', StringComparison.Ordinal) || !assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"{FileName} of '{id}' needs an 'assembly': the file name of its .dll in the plugin folder.");
        }

        if (!VersionRange.TryParse(String(root, "sdk"), out var sdk))
        {
            return (null, $"{FileName} of '{id}' needs an 'sdk' version range such as ^0.1.");
        }

        var dependencies = new Dictionary<string, VersionRange>(StringComparer.Ordinal);
        if (root.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Object)
        {
            foreach (var dependency in deps.EnumerateObject())
            {
                if (!VersionRange.TryParse(dependency.Value.GetString(), out var range))
                {
                    return (null, $"{FileName} of '{id}': dependency '{dependency.Name}' needs a version range.");
                }

                dependencies[dependency.Name] = range;
            }
        }

        var (errorCodes, codesError) = PluginErrorCodes.Read(root, id);
        if (codesError is not null)
        {
            return (null, codesError);
        }

        var displayName = Localized(root, "displayName") ?? new LocalizedText([new("en", id)]);
        return (new PluginManifest(id, version, assembly, displayName, Localized(root, "description"), sdk, dependencies, errorCodes), null);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static LocalizedText? Localized(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? new LocalizedText(value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)))
            : null;
}
