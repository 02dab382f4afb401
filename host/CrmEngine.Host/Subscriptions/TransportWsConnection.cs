using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CrmEngine.Engine.Errors;
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
/// that lets it fill is disconnected, so a slow reader costs only itself. Each subscribe is charged to
/// the caller's and tenant's rate limits as an HTTP request is; the credential is checked again
/// whenever it may have stopped holding (<see cref="OpenConnections"/>), and the connection closed
/// with 4403 when it no longer does.
/// </summary>
internal sealed class TransportWsConnection(WebSocket socket, HttpContext http, TransportWsServices services)
{
    private const int MaxMessageBytes = 64 * 1024;
    private const string TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS";

    /// <summary>How long a closed connection's client has to read what is queued and answer the close, before the socket is cut.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(30);

    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(new BoundedChannelOptions(services.Options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConnectionSubscriptions _subscriptions = new(services.Connections, services.Options.MaxSubscriptionsPerConnection);
    private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    private volatile CrmSession? _session;
    private string? _authorization;
    private bool _initialized;
    private Tuple<int, string>? _close;

    /// <summary>The session the connection was acknowledged with (refreshed when its credential is checked again); null before.</summary>
    public CrmSession? Session => _session;

    public async Task RunAsync()
    {
        using var registration = services.Connections.Add(this);
        var writer = WriteLoopAsync();
        var initTimeout = Task.Delay(services.Options.ConnectionInitTimeout, _closing.Token).ContinueWith(
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
            _subscriptions.StopAll();
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
                _subscriptions.Stop(id);
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

        _authorization = authorization;
        _session = session;
        _initialized = true;
        Send(TransportWs.Message(TransportWs.ConnectionAck));
    }

    /// <summary>
    /// Checks the credential again, as a new request with it would be: a revoked or expired key, a
    /// deactivated user or a deleted tenant closes the connection with 4403 at once. A credential
    /// that still holds refreshes the session new subscriptions start with.
    /// </summary>
    public async Task RevalidateAsync()
    {
        if (_authorization is not { } authorization || _close is not null)
        {
            return;
        }

        try
        {
            if (await AuthenticateAsync(authorization) is { } session)
            {
                _session = session;
                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The connection is ending anyway.
            return;
        }

        services.Logger.LogInformation("Closing a subscription connection of tenant {Tenant}: its credential no longer holds.", _session?.TenantId);
        Close(TransportWs.Forbidden, "Forbidden: the credential was revoked");
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

        return (await services.Sessions.OpenSessionAsync(principal, _closing.Token)).Session;
    }

    private async Task SubscribeAsync(string id, JsonElement payload)
    {
        var session = _session!;
        var caller = RequestRateLimiter.CallerOf(session.Principal);
        switch (_subscriptions.Reserve(id, caller))
        {
            case ConnectionSubscriptions.Reservation.IdInUse:
                Close(TransportWs.SubscriberExists, $"Subscriber for {id} already exists");
                return;
            case ConnectionSubscriptions.Reservation.ConnectionFull:
                SendError(id, TooManySubscriptions, $"A connection holds at most {services.Options.MaxSubscriptionsPerConnection} subscriptions.");
                return;
            case ConnectionSubscriptions.Reservation.CallerFull:
                SendError(id, TooManySubscriptions, $"An API key or user holds at most {services.Options.MaxSubscriptionsPerCaller} subscriptions on a server; complete some first.");
                return;
        }

        // A subscribe is a request like any other: it takes from the same per-key and per-tenant buckets.
        if (services.RateLimiter.Acquire(session.TenantId, caller) is { Allowed: false } refused)
        {
            _subscriptions.Forget(id);
            var seconds = Math.Max(1, (int)Math.Ceiling(refused.RetryAfter.TotalSeconds));
            SendError(id, ErrorCodes.RateLimited, $"Too many requests for {refused.Exhausted} ({refused.Limit.PermitsPerSecond}/s, bursts of {refused.Limit.Burst}); retry after {seconds} s.", seconds);
            return;
        }

        if (!payload.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            Close(TransportWs.BadRequest, "Invalid message");
            return;
        }

        var operationName = payload.TryGetProperty("operationName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        var variables = payload.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? services.Serializer.ReadNode<Inputs>(v) : null;
        var request = CrmGraphQLRequest.Parse(query.GetString()!, operationName, variables, null);
        var result = await services.Executor.ExecuteAsync(session, request, null, http.RequestServices, _closing.Token);
        if (result.Streams is { Count: > 0 } streams)
        {
            _subscriptions.Attach(id, streams.Values.First().Subscribe(new Forwarder(this, id)));
            return;
        }

        _subscriptions.Forget(id);
        if (!result.Executed || result.Data is null)
        {
            Send(TransportWs.Message(TransportWs.Error, id, Errors(result)));
            return;
        }

        // A query or mutation sent over the socket: one result, then done.
        Send(TransportWs.Message(TransportWs.Next, id, services.Serializer.Serialize(result)));
        Send(TransportWs.Message(TransportWs.Complete, id));
    }

    /// <summary>An error message for operation <paramref name="id"/>: the subscribe was refused, the connection stays. A rate-limit refusal says when to retry in <c>extensions.retryAfter</c> (seconds), as HTTP's Retry-After does.</summary>
    private void SendError(string id, string code, string message, int? retryAfterSeconds = null)
    {
        var errors = JsonNode.Parse(Errors(new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] }))!;
        if (retryAfterSeconds is { } seconds && errors[0]?["extensions"] is JsonObject extensions)
        {
            extensions["retryAfter"] = seconds;
        }

        Send(TransportWs.Message(TransportWs.Error, id, errors.ToJsonString()));
    }

    /// <summary>Results shared by several subscribers (<see cref="CrmEngine.GraphQL.Subscriptions.CrmSubscriptionStrategy"/>) are written once.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ExecutionResult, string> Written = new();

    private string Serialize(ExecutionResult result) => Written.GetValue(result, r => services.Serializer.Serialize(r));

    private string Errors(ExecutionResult result) =>
        JsonNode.Parse(services.Serializer.Serialize(result))?["errors"]?.ToJsonString() ?? "[]";

    /// <summary>Queues a message; a full queue means the client can't keep up, and it is let go.</summary>
    private void Send(string message)
    {
        if (!_outgoing.Writer.TryWrite(message) && _close is null)
        {
            services.Logger.LogInformation("A subscription client of tenant {Tenant} reads too slowly; disconnecting it.", _session?.TenantId);
            Close(TransportWs.SlowConsumer, "Too slow: resume with the changes feed");
        }
    }

    private void Close(int code, string reason)
    {
        // The write loop sends the close once what is queued went out; the read loop ends when the
        // client answers it. Cancelling a receive would abort the socket before the close is sent.
        // Delivery threads, the read loop and revalidation may close at once: the first one wins.
        if (Interlocked.CompareExchange(ref _close, Tuple.Create(code, reason), null) is not null)
        {
            return;
        }

        _subscriptions.StopAll();
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
                await socket.CloseOutputAsync((WebSocketCloseStatus)close.Item1, close.Item2, CancellationToken.None);
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
            connection._subscriptions.Forget(id);
            connection.SendError(id, ErrorCodes.InternalError, "The subscription failed.");
        }

        public void OnCompleted()
        {
            connection._subscriptions.Forget(id);
            connection.Send(TransportWs.Message(TransportWs.Complete, id));
        }
    }
}
