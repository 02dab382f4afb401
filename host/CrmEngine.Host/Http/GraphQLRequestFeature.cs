using CrmEngine.Engine.Records;

namespace CrmEngine.Host.Http;

/// <summary>
/// What the edge filters of a GraphQL endpoint settled before the handler runs: the answer's media
/// type, the request's deadline and the caller's tenant session.
/// </summary>
public sealed class GraphQLRequestFeature(string mediaType)
{
    /// <summary>The media type errors and the answer are written as.</summary>
    public string MediaType { get; } = mediaType;

    /// <summary>Cancelled when the request's deadline passes (or the client goes away).</summary>
    public CancellationTokenSource Deadline { get; set; } = null!;

    public CrmSession Session { get; set; } = null!;

    public void Deconstruct(out string mediaType, out CancellationTokenSource deadline, out CrmSession session) =>
        (mediaType, deadline, session) = (MediaType, Deadline, Session);

    public static GraphQLRequestFeature Of(HttpContext http) => http.Features.Get<GraphQLRequestFeature>() ?? throw new InvalidOperationException("The GraphQL endpoint filters did not run.");
}
