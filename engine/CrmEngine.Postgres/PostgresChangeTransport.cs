using System.Text.Json;
using System.Text.Json.Serialization;
using CrmEngine.Engine.Coordination;

namespace CrmEngine.Postgres;

/// <summary>
/// Sends change events to every host with NOTIFY on the <c>crm_changes</c> channel of the catalog's
/// database. The payload is a small JSON object, for example
/// <c>{"origin":"3f2a…","kind":"metadata","tenant":"acme","version":12}</c>; hosts read the new
/// state from the store themselves.
/// </summary>
public sealed class PostgresChangeTransport(PostgresServers servers) : IChangeTransport
{
    public const string Channel = "crm_changes";

    public async Task SendAsync(ChangeEvent change, string origin, CancellationToken cancellationToken)
    {
        await using var connection = await servers.OpenAsync(PostgresServers.Default, cancellationToken);
        await PostgresSql.ExecuteAsync(connection, "SELECT pg_notify($1, $2)", [Channel, ChangeMessage.Write(change, origin)], cancellationToken);
    }
}

/// <summary>The wire form of a change event.</summary>
internal sealed record ChangeMessage(
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("tenant")] string? Tenant,
    [property: JsonPropertyName("version")] long? Version,
    [property: JsonPropertyName("subject")] string? Subject)
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string Write(ChangeEvent change, string origin) =>
        JsonSerializer.Serialize(new ChangeMessage(origin, change.Kind, change.TenantId, change.Version, change.Subject), Options);

    /// <summary>The event, or null for a payload that is not one of ours.</summary>
    public static (string Origin, ChangeEvent Change)? Read(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ChangeMessage>(payload, Options) is { Origin: { } origin, Kind: { } kind } message
                ? (origin, new ChangeEvent(kind, message.Tenant, message.Version, message.Subject))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
