using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>A real WebSocket client speaking graphql-transport-ws to a test host.</summary>
internal sealed class TransportWsClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket = new();

    private TransportWsClient()
    {
        _socket.Options.AddSubProtocol("graphql-transport-ws");
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public static async Task<TransportWsClient> ConnectAsync(CrmHost host)
    {
        var client = new TransportWsClient();
        var address = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;
        await client._socket.ConnectAsync(address, CancellationToken.None);
        return client;
    }

    /// <summary>Connects and initialises with the client's key; the ack must come.</summary>
    public static async Task<TransportWsClient> InitializedAsync(CrmHost host, TenantClient tenant)
    {
        var client = await ConnectAsync(host);
        await client.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + tenant.Key } });
        Assert.Equal("connection_ack", (await client.ReceiveAsync())?["type"]?.GetValue<string>());
        return client;
    }

    /// <summary>What the server does after a message (subscribing, completing) is asynchronous: waits, at most 15 s, until <paramref name="done"/> holds.</summary>
    public static async Task UntilAsync(Func<bool> done)
    {
        var until = DateTime.UtcNow + Wait;
        while (!done() && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>The after stage has handled the tenant's writes so far: their changes are not delivered to subscriptions made now.</summary>
    public static Task SettledAsync(CrmHost host, string tenantId) =>
        host.Service<CrmEngine.Engine.Records.Pipeline.OutboxDispatcher>().DrainAsync(tenantId, CancellationToken.None);

    /// <summary>Subscribing and completing are asynchronous: waits until the tenant has that many subscribers on the host.</summary>
    public static Task WaitForSubscribersAsync(CrmHost host, string tenantId, int atLeast, bool exactly = false) =>
        UntilAsync(() => host.Service<CrmEngine.GraphQL.Subscriptions.RecordChangeHub>().Count(tenantId) is var held && (exactly ? held == atLeast : held >= atLeast));

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message, or null once the server closed the connection (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? Wait);
        var buffer = new byte[1 << 16];
        var length = 0;
        WebSocketReceiveResult received;
        do
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            received = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
            length += received.Count;
        }
        while (!received.EndOfMessage);

        return received.MessageType == WebSocketMessageType.Close ? null : JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length));
    }

    /// <summary>The next "next" message's data for subscription <paramref name="id"/>.</summary>
    public async Task<JsonNode> NextAsync(string id)
    {
        var message = await ReceiveAsync() ?? throw new InvalidOperationException($"Closed: {CloseStatus} {CloseReason}");
        Assert.True(message["type"]!.GetValue<string>() == "next" && message["id"]!.GetValue<string>() == id, $"Expected next for {id}, got {message.ToJsonString()}");
        return message["payload"]!["data"]!;
    }

    /// <summary>Reads until the server closes the connection; its close code.</summary>
    public async Task<int?> ClosedAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return (int?)CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
