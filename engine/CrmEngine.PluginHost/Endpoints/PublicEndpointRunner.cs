using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.PluginHost.Endpoints;

/// <summary>A link token the host verified (signature, expiry): what it grants, its id and when it expires.</summary>
public sealed record VerifiedLink(LinkGrant Grant, Guid Id, DateTime ExpiresAt);

/// <summary>A request to a public endpoint, as the host read it: everything the handler sees but the tenant's context.</summary>
public sealed record EndpointRequest(
    EndpointMethod Method,
    IReadOnlyDictionary<string, string> RouteValues,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    ReadOnlyMemory<byte> Body,
    IReadOnlyDictionary<string, string> Form,
    VerifiedLink? Link);

/// <summary>What became of a request: the handler's answer, or a typed refusal (status, code, message).</summary>
public sealed record EndpointOutcome(EndpointResponse? Response, int Status, string? Code, string? Message)
{
    public static EndpointOutcome Refused(int status, string code, string message) => new(null, status, code, message);
}

/// <summary>
/// Runs a plugin's public endpoint on a tenant session, like a plugin mutation: in one transaction, so
/// everything the handler writes commits together or nothing does. A single-use link is marked used in
/// that transaction before the handler runs (a replay, even a concurrent one, finds it and is refused
/// with 410 LINK_USED; a handler that fails leaves the link unused). A redirect must go to a path on
/// this host or to the link's signed target. An <see cref="OperationException"/> is the plugin's
/// typed refusal (400); any other exception, or an answer the host refuses to send, is reported by
/// <see cref="PluginFailures"/> and answered with 502 PLUGIN_ERROR; either way nothing is written.
/// </summary>
public sealed class PublicEndpointRunner(RecordApiFactory records, OutboxSignal outbox, PluginFailures failures, Tenants.PluginServing serving, TimeProvider time, IOptions<CrmEngineOptions> options)
{
    public async Task<EndpointOutcome> RunAsync(CrmSession session, PublicEndpointCatalog.Route route, EndpointRequest request, CancellationToken cancellationToken)
    {
        if (serving.Refusal(session.TenantId, session.Metadata, route.PluginId) is { } refusal)
        {
            // Unavailable for now, not refused for good: the link stays unused.
            return EndpointOutcome.Refused(503, refusal.Code, refusal.Message);
        }

        await using var scope = await WriteScope.BeginAsync(session, "endpoint:" + route.Template, null, options.Value.MaxCascadeDepth, cancellationToken);
        scope.Activate();
        if (route.Endpoint.Access.SingleUse && request.Link is { } link && !await TryUseAsync(scope, link, cancellationToken))
        {
            return EndpointOutcome.Refused(410, ErrorCodes.LinkUsed, "This link has been used already; it works once.");
        }

        try
        {
            var response = await route.Endpoint.HandleAsync(new Context(request, SdkMapping.ToSdk(session.Principal), session, records), cancellationToken);
            if (Unsendable(response, request.Link?.Grant) is { } problem)
            {
                return Failed(session, route, new InvalidOperationException(problem));
            }

            await scope.CompleteAsync(cancellationToken);
            outbox.Notify(session.TenantId);
            return new EndpointOutcome(response, response.Status, null, null);
        }
        catch (OperationException e)
        {
            return EndpointOutcome.Refused(400, e.Code, e.Message);
        }
        catch (CrmException e)
        {
            return EndpointOutcome.Refused(e.Code switch { ErrorCodes.Forbidden => 403, ErrorCodes.NotFound => 404, _ => 400 }, e.Code, e.Errors.Count > 0 ? e.Errors[0].Message : e.Message);
        }
        catch (Exception e) when (PluginFailures.IsFailure(e))
        {
            return Failed(session, route, e);
        }
    }

    /// <summary>Why the host won't send a handler's answer, or null when it will.</summary>
    private static string? Unsendable(EndpointResponse? response, LinkGrant? link) => response switch
    {
        null => "The handler returned no response.",
        { Status: < 200 or > 599 } => $"The handler answered with status {response.Status}; endpoints answer with 200 to 599.",
        _ when !IsAllowedRedirect(response.Location, link) => $"The handler redirected to '{response.Location}', which is neither a path on this host nor the target signed in the link.",
        _ => null,
    };

    /// <summary>
    /// A redirect may go to a path on this host (<c>/x</c>, never <c>//host</c> or <c>/\host</c>, which
    /// browsers read as another host) or exactly to the URL signed in the caller's link.
    /// </summary>
    public static bool IsAllowedRedirect(string? location, LinkGrant? link) =>
        location is null
        || (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal) && !location.Any(char.IsControl))
        || (link?.Target is { } target && string.Equals(location, target, StringComparison.Ordinal));

    /// <summary>Marks a single-use link used, in the scope's transaction; false when it was used before.</summary>
    private async Task<bool> TryUseAsync(WriteScope scope, VerifiedLink link, CancellationToken cancellationToken)
    {
        var used = scope.Context.Set<UsedLinkRow>();
        // Links that expired can't be used anyway: their ids need not be kept.
        await used.Where(u => u.ExpiresAt < time.GetUtcNow().UtcDateTime).ExecuteDeleteAsync(cancellationToken);
        var entry = used.Add(new UsedLinkRow { Id = link.Id, ExpiresAt = link.ExpiresAt });
        try
        {
            await scope.Context.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            entry.State = EntityState.Detached;
        }
    }

    private EndpointOutcome Failed(CrmSession session, PublicEndpointCatalog.Route route, Exception e)
    {
        var failure = failures.Report(route.PluginId, $"in its endpoint {route.Endpoint.Method.ToString().ToUpperInvariant()} {route.Template}", session.TenantId, e, "Nothing was written.");
        return EndpointOutcome.Refused(502, ErrorCodes.PluginError, failure.Message);
    }

    private sealed class Context(EndpointRequest request, ICrmIdentity identity, CrmSession session, RecordApiFactory factory) : IEndpointContext
    {
        public EndpointMethod Method => request.Method;

        public IReadOnlyDictionary<string, string> RouteValues => request.RouteValues;

        public IReadOnlyDictionary<string, string> Query => request.Query;

        public IReadOnlyDictionary<string, string> Headers => request.Headers;

        public string? ContentType => request.ContentType;

        public ReadOnlyMemory<byte> Body => request.Body;

        public IReadOnlyDictionary<string, string> Form => request.Form;

        public LinkGrant? Link => request.Link?.Grant;

        public ICrmIdentity Identity { get; } = identity;

        public IRecordApi Records => field ??= factory.For(session);

        public IRecordApi PrivilegedRecords => field ??= factory.Privileged(session);

        public IUserDirectory Directory => field ??= factory.Directory(session);
    }
}
