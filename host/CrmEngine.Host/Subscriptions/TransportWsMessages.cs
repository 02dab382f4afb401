using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmEngine.Host.Subscriptions;

/// <summary>The graphql-transport-ws protocol's names and close codes (github.com/enisdenjo/graphql-ws, PROTOCOL.md).</summary>
public static class TransportWs
{
    public const string SubProtocol = "graphql-transport-ws";

    public const string ConnectionInit = "connection_init";
    public const string ConnectionAck = "connection_ack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Subscribe = "subscribe";
    public const string Next = "next";
    public const string Error = "error";
    public const string Complete = "complete";

    /// <summary>A message the server could not read, or one that breaks the protocol.</summary>
    public const int BadRequest = 4400;

    /// <summary>A subscribe before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;

    /// <summary>connection_init whose credentials were refused.</summary>
    public const int Forbidden = 4403;

    /// <summary>No connection_init in time.</summary>
    public const int InitTimeout = 4408;

    /// <summary>A subscribe with the id of a subscription still running.</summary>
    public const int SubscriberExists = 4409;

    /// <summary>A second connection_init.</summary>
    public const int TooManyInitRequests = 4429;

    /// <summary>The client reads slower than its events arrive: its queue is full (WebSocket "try again later").</summary>
    public const int SlowConsumer = 1013;

    /// <summary>One message as text: {"type": ..., "id": ..., "payload": ...}; the payload is JSON text already.</summary>
    public static string Message(string type, string? id = null, string? payloadJson = null)
    {
        var message = new JsonObject { ["type"] = type };
        if (id is not null)
        {
            message["id"] = id;
        }

        var text = message.ToJsonString();
        return payloadJson is null ? text : string.Concat(text.AsSpan(0, text.Length - 1), ",\"payload\":", payloadJson, "}");
    }

    /// <summary>Reads a client message: its type, id and payload; null when it is not a protocol message.</summary>
    public static (string Type, string? Id, JsonElement? Payload)? Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            JsonElement? payload = root.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p.Clone() : null;
            return (type.GetString()!, id, payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
