using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Endpoints;

/// <summary>The HTTP methods a public endpoint answers.</summary>
public enum EndpointMethod
{
    /// <summary>GET: pages, tracking pixels, redirects.</summary>
    Get,

    /// <summary>POST: web forms, inbound webhooks. The handler's writes commit together, or none does.</summary>
    Post,
}

/// <summary>
/// An HTTP endpoint a plugin maps under <c>/p/&lt;plugin id&gt;/&lt;route&gt;</c>, for what GraphQL doesn't fit:
/// web forms, tracking pixels and redirects, unsubscribe and survey pages, inbound webhooks. It answers
/// only on tenants that enable the plugin. The host authenticates the caller (the tenant's API key, or a
/// signed link, as <see cref="Access"/> says), limits the request rate per client address, the body's
/// size and the time the handler may take, before the handler runs.
/// </summary>
public interface IPublicEndpoint
{
    /// <summary>GET or POST.</summary>
    EndpointMethod Method { get; }

    /// <summary>
    /// The path under <c>/p/&lt;plugin id&gt;/</c>, such as <c>forms/{formId}</c>: literal segments and
    /// <c>{name}</c> parameters, which the handler reads from <see cref="IEndpointContext.RouteValues"/>.
    /// </summary>
    string Route { get; }

    /// <summary>Who may call: the tenant's API key (the default), or a signed link of one purpose.</summary>
    EndpointAccess Access => EndpointAccess.TenantKey;

    /// <summary>
    /// Answers the request. Throw <see cref="Operations.OperationException"/> to refuse with a typed error
    /// (400, nothing written); any other exception is logged and answered with 502 PLUGIN_ERROR.
    /// </summary>
    Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken);
}

/// <summary>Who may call a <see cref="IPublicEndpoint"/>.</summary>
public sealed class EndpointAccess
{
    private EndpointAccess(string? purpose, bool singleUse)
    {
        Purpose = purpose;
        SingleUse = singleUse;
    }

    /// <summary>Only callers with the tenant's API key or bearer token, acting as that key's user (as GraphQL accepts them).</summary>
    public static EndpointAccess TenantKey { get; } = new(null, false);

    /// <summary>The link purpose the route accepts (<see cref="LinkGrant.Purpose"/>); null when it needs the tenant's key.</summary>
    public string? Purpose { get; }

    /// <summary>True when a link opens the route once: a second request with the same link is refused (410 LINK_USED).</summary>
    public bool SingleUse { get; }

    /// <summary>
    /// Anyone holding a valid link signed for this plugin and <paramref name="purpose"/> (passed as the
    /// <c>token</c> query parameter), acting as the tenant's anonymous public identity.
    /// </summary>
    /// <param name="purpose">What the link is for, such as <c>unsubscribe</c>; a link for another purpose is refused.</param>
    /// <param name="singleUse">True for links that must work once (a form submission); false for links opened again and again (a tracking pixel).</param>
    public static EndpointAccess SignedLink(string purpose, bool singleUse = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return new(purpose, singleUse);
    }
}

/// <summary>A request to a public endpoint, and the tenant's record context to answer it in.</summary>
public interface IEndpointContext
{
    /// <summary>GET or POST.</summary>
    EndpointMethod Method { get; }

    /// <summary>The route's <c>{name}</c> parameters, unescaped.</summary>
    IReadOnlyDictionary<string, string> RouteValues { get; }

    /// <summary>The query string's parameters (a repeated one's values joined with commas). The link's <c>token</c> is not among them.</summary>
    IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The request headers (names case-insensitive), except the credentials: Authorization and Cookie.</summary>
    IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body's media type, if any.</summary>
    string? ContentType { get; }

    /// <summary>The body, read whole; never larger than the host's limit (bigger ones are refused with 413 before the handler runs).</summary>
    ReadOnlyMemory<byte> Body { get; }

    /// <summary>The fields of an <c>application/x-www-form-urlencoded</c> body (an HTML form); empty for other bodies.</summary>
    IReadOnlyDictionary<string, string> Form { get; }

    /// <summary>The signed link the caller came with, verified; null when the caller used the tenant's key.</summary>
    LinkGrant? Link { get; }

    /// <summary>
    /// Who is calling: the key's user, or for a signed link the tenant's anonymous public identity, which
    /// has no record permissions of its own.
    /// </summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, acting as <see cref="Identity"/> (for a link's public identity, every read and write is refused).</summary>
    IRecordApi Records { get; }

    /// <summary>
    /// The record API with full record permissions, attributed to <see cref="Identity"/>: for the writes the
    /// plugin makes on a link holder's behalf (record the form, the open, the unsubscribe). The request is
    /// untrusted input: write only what the link's subject and purpose allow.
    /// </summary>
    IRecordApi PrivilegedRecords { get; }

    /// <summary>The tenant's users and teams.</summary>
    IUserDirectory Directory { get; }
}
