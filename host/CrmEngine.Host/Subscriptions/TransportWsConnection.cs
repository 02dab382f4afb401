using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.Host.Http;
using CrmEngine.Host.Security;
using GraphQL;
using Microsoft.AspNetCore.Authentication;

namespace CrmEngine.Host.Subscriptions;

/// <summary>
/// One graphql-transport-ws connection: connection_init (authenticated as an HTTP request with the
/// payload's Authorization, or the upgrade request's), ping/pong, subscribe/next/error/complete, and
/// the protocol's close codes. Outgoing messages wait in a bounded queue written by one loop; a client
/// that lets it fill is disconnected, so a slow reader costs only itself.
/// </summary>
internal sealed class TransportWsConnection(WebSocket socket, HttpContext http, SubscriptionOptions options, CrmGraphQLExecutor executor, CallerSessionFilter sessions, IGraphQLTextSerializer serializer, ILogger logger)
{
    private const int MaxMessageBytes = 64 * 1024;

    /// <summary>How long a closed connection's client has to read what is queued and answer the close, before the socket is cut.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(30);

    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<string, IDisposable?> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    private CrmSession? _session;
    private bool _initialized;
    private (int Code, string Reason)? _close;

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        var initTimeout = Task.Delay(options.ConnectionInitTimeout, _closing.Token).ContinueWith(
            t =>
            {
                if (!t.IsCanceled && !_initialized)
                {
                    Close(TransportWs.InitTimeout, "Connection initialisation timeout");
                }
            },
            TaskScheduler.Default);
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away, or the connection is being closed.
        }
        finally
        {
            StopAll();
            _outgoing.Writer.TryComplete();
            await writer;
            await _closing.CancelAsync();
            await initTimeout;
            _closing.Dispose();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[MaxMessageBytes];
        while (socket.State == WebSocketState.Open && _close is null)
        {
            var length = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                if (length == buffer.Length)
                {
                    Close(TransportWs.BadRequest, "Message too large");
                    return;
                }

                received = await socket.ReceiveAsync(buffer.AsMemory(length), _closing.Token);
                length += received.Count;
            }
            while (!received.EndOfMessage);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            await HandleAsync(buffer.AsSpan(0, length).ToArray());
        }
    }

    private async Task HandleAsync(byte[] text)
    {
        if (TransportWs.Read(text) is not { } message)
        {
            Close(TransportWs.BadRequest, "Invalid message");
            return;
        }

        switch (message.Type)
        {
            case TransportWs.ConnectionInit:
                await InitializeAsync(message.Payload);
                break;
            case TransportWs.Ping:
                Send(TransportWs.Message(TransportWs.Pong));
                break;
            case TransportWs.Pong:
                break;
            case TransportWs.Subscribe when !_initialized:
                Close(TransportWs.Unauthorized, "Unauthorized");
                break;
            case TransportWs.Subscribe when message.Id is { Length: > 0 } id && message.Payload is { ValueKind: JsonValueKind.Object } payload:
                await SubscribeAsync(id, payload);
                break;
            case TransportWs.Complete when message.Id is { } id:
                Stop(id);
                break;
            default:
                Close(TransportWs.BadRequest, "Invalid message");
                break;
        }
    }

    private async Task InitializeAsync(JsonElement? payload)
    {
        if (_initialized || _session is not null)
        {
            Close(TransportWs.TooManyInitRequests, "Too many initialisation requests");
            return;
        }

        var authorization = Authorization(payload) ?? http.Request.Headers.Authorization.ToString();
        if (await AuthenticateAsync(authorization) is not { } session)
        {
            Close(TransportWs.Forbidden, "Forbidden");
            return;
        }

        _session = session;
        _initialized = true;
        Send(TransportWs.Message(TransportWs.ConnectionAck));
    }

    /// <summary>The payload's Authorization (any case), as a browser can send no header on a WebSocket.</summary>
    private static string? Authorization(JsonElement? payload) =>
        payload is { ValueKind: JsonValueKind.Object } p
            ? p.EnumerateObject().FirstOrDefault(m => string.Equals(m.Name, "authorization", StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value ? value.GetString() : null
            : null;

    /// <summary>Runs the HTTP path's authentication (API key or JWT, by the token's shape) on the credential, in a scope of its own.</summary>
    private async Task<CrmSession?> AuthenticateAsync(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        await using var scope = http.RequestServices.CreateAsyncScope();
        var probe = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        probe.Request.Headers.Authorization = authorization;
        var result = await probe.AuthenticateAsync(CrmAuthentication.SchemeName);
        if (!result.Succeeded || CrmClaims.ToPrincipal(result.Principal) is not { } principal)
        {
            return null;
        }

        return (await sessions.OpenSessionAsync(principal, _closing.Token)).Session;
    }

    private async Task SubscribeAsync(string id, JsonElement payload)
    {
        lock (_subscriptions)
        {
            if (_subscriptions.ContainsKey(id))
            {
                Close(TransportWs.SubscriberExists, $"Subscriber for {id} already exists");
                return;
            }

            if (_subscriptions.Count >= options.MaxSubscriptionsPerConnection)
            {
                Send(TransportWs.Message(TransportWs.Error, id, Errors(new ExecutionError($"A connection holds at most {options.MaxSubscriptionsPerConnection} subscriptions.") { Code = "TOO_MANY_SUBSCRIPTIONS" })));
                return;
            }

            _subscriptions[id] = null;
        }

        if (!payload.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            Close(TransportWs.BadRequest, "Invalid message");
            return;
        }

        var operationName = payload.TryGetProperty("operationName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        var variables = payload.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? serializer.ReadNode<Inputs>(v) : null;
        var request = CrmGraphQLRequest.Parse(query.GetString()!, operationName, variables, null);
        var result = await executor.ExecuteAsync(_session!, request, null, http.RequestServices, _closing.Token);
        if (result.Streams is { Count: > 0 } streams)
        {
            var subscription = streams.Values.First().Subscribe(new Forwarder(this, id));
            lock (_subscriptions)
            {
                if (_subscriptions.ContainsKey(id))
                {
                    _subscriptions[id] = subscription;
                    return;
                }
            }

            // Completed by the client while it was starting.
            subscription.Dispose();
            return;
        }

        Forget(id);
        if (!result.Executed || result.Data is null)
        {
            Send(TransportWs.Message(TransportWs.Error, id, Errors(result)));
            return;
        }

        // A query or mutation sent over the socket: one result, then done.
        Send(TransportWs.Message(TransportWs.Next, id, serializer.Serialize(result)));
        Send(TransportWs.Message(TransportWs.Complete, id));
    }

    private string Serialize(ExecutionResult result) => serializer.Serialize(result);

    private string Errors(ExecutionResult result) =>
        JsonNode.Parse(serializer.Serialize(result))?["errors"]?.ToJsonString() ?? "[]";

    private string Errors(ExecutionError error) => Errors(new ExecutionResult { Errors = [error] });

    private void Stop(string id)
    {
        IDisposable? subscription;
        lock (_subscriptions)
        {
            _subscriptions.Remove(id, out subscription);
        }

        subscription?.Dispose();
    }

    private void StopAll()
    {
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions.Values)
            {
                subscription?.Dispose();
            }

            _subscriptions.Clear();
        }
    }

    private void Forget(string id)
    {
        lock (_subscriptions)
        {
            _subscriptions.Remove(id);
        }
    }

    /// <summary>Queues a message; a full queue means the client can't keep up, and it is let go.</summary>
    private void Send(string message)
    {
        if (!_outgoing.Writer.TryWrite(message) && _close is null)
        {
            logger.LogInformation("A subscription client of tenant {Tenant} reads too slowly; disconnecting it.", _session?.TenantId);
            Close(TransportWs.SlowConsumer, "Too slow: resume with the changes feed");
        }
    }

    private void Close(int code, string reason)
    {
        if (_close is not null)
        {
            return;
        }

        // The write loop sends the close once what is queued went out; the read loop ends when the
        // client answers it. Cancelling a receive would abort the socket before the close is sent.
        _close = (code, reason);
        StopAll();
        _outgoing.Writer.TryComplete();
        _ = AbortLaterAsync();
    }

    /// <summary>Cuts a client that neither reads nor answers the close within <see cref="CloseGrace"/>.</summary>
    private async Task AbortLaterAsync()
    {
        try
        {
            await Task.Delay(CloseGrace, http.RequestAborted);
            socket.Abort();
        }
        catch (OperationCanceledException)
        {
            // The connection ended on its own.
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(CancellationToken.None))
            {
                if (_close is not null)
                {
                    break;
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, http.RequestAborted);
            }

            if (_close is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client is gone.
        }
    }

    /// <summary>Sends a subscription's results as next messages, and complete or error when its stream ends.</summary>
    private sealed class Forwarder(TransportWsConnection connection, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => connection.Send(TransportWs.Message(TransportWs.Next, id, connection.Serialize(value)));

        public void OnError(Exception error)
        {
            connection.Forget(id);
            connection.Send(TransportWs.Message(TransportWs.Error, id, connection.Errors(new ExecutionError("The subscription failed.") { Code = "INTERNAL_ERROR" })));
        }

        public void OnCompleted()
        {
            connection.Forget(id);
            connection.Send(TransportWs.Message(TransportWs.Complete, id));
        }
    }
}
