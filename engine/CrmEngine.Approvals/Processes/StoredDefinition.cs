using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrmEngine.Sdk.Approvals;

namespace CrmEngine.Approvals.Processes;

/// <summary>A step as stored: its condition in the JSON form of the list queries' <c>where</c> (the entity's filter input).</summary>
public sealed record StoredStep(string Name, ApprovalMode Mode, IReadOnlyList<Approver> Approvers, JsonElement? When);

/// <summary>
/// An admin's process definition as stored in <see cref="Storage.ApprovalProcessRow.Definition"/>.
/// Criteria and step conditions stay in their filter JSON and are read against the tenant's current
/// metadata each time they are used, as a list query's filter is.
/// </summary>
public sealed record StoredDefinition(JsonElement? Criteria, IReadOnlyList<StoredStep> Steps, IReadOnlyList<string> LockedFields, ApprovalStatusField? Status, bool AdminsMayApprove, bool OwnerMayApprove)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static StoredDefinition Read(string json) => JsonSerializer.Deserialize<StoredDefinition>(json, Json)!;

    /// <summary>A filter given as the GraphQL JSON scalar (dictionaries, lists, numbers), kept as JSON.</summary>
    public static JsonElement? Keep(object? filter) => filter is null ? null : JsonSerializer.SerializeToElement(filter, Json);

    /// <summary>Kept filter JSON back as the values a GraphQL filter argument holds: dictionaries, lists, long, decimal, string, bool.</summary>
    public static IDictionary<string, object?>? Filter(JsonElement? filter) =>
        filter is { ValueKind: JsonValueKind.Object } element ? (IDictionary<string, object?>?)Value(element) : null;

    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when element.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => decimal.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => null,
    };
}
