using CrmEngine.GraphQL.Execution;
using CrmEngine.Host.Http;
using GraphQL;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Subscriptions;

/// <summary>
/// GraphQL subscriptions on <c>/graphql</c> over WebSocket with the graphql-transport-ws
/// sub-protocol: an upgrade request that asks for another protocol, or none, is refused with 400.
/// </summary>
public sealed class GraphQLWebSocketEndpoint(IOptions<SubscriptionOptions> options, CrmGraphQLExecutor executor, CallerSessionFilter sessions, IGraphQLTextSerializer serializer, RequestRateLimiter rateLimiter, OpenConnections connections, ILogger<GraphQLWebSocketEndpoint> logger)
{
    private readonly TransportWsServices _services = new(options.Value, executor, sessions, serializer, rateLimiter, connections, logger);

    public async Task HandleAsync(HttpContext http, Func<Task> next)
    {
        if (!http.WebSockets.IsWebSocketRequest || http.Request.Path != "/graphql")
        {
            await next();
            return;
        }

        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(TransportWs.SubProtocol))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync($"Ask for the {TransportWs.SubProtocol} sub-protocol.");
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(TransportWs.SubProtocol);
        await new TransportWsConnection(socket, http, _services).RunAsync();
    }
}

/// <summary>What every connection uses, shared.</summary>
internal sealed record TransportWsServices(
    SubscriptionOptions Options,
    CrmGraphQLExecutor Executor,
    CallerSessionFilter Sessions,
    IGraphQLTextSerializer Serializer,
    RequestRateLimiter RateLimiter,
    OpenConnections Connections,
    ILogger Logger);
