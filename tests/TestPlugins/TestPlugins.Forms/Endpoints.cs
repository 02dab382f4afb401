using System.Text;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace TestPlugins.Forms;

/// <summary>POST /p/forms/leads?token=… — a web form that creates a lead; each link submits once.</summary>
public sealed class SubmitLeadForm : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Post;

    /// <inheritdoc/>
    public string Route => "leads";

    /// <inheritdoc/>
    public EndpointAccess Access { get; } = EndpointAccess.SignedLink("lead-form", singleUse: true);

    /// <inheritdoc/>
    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var name = context.Form.GetValueOrDefault("name");
        var outcome = await context.PrivilegedRecords.CreateAsync("webLead", new Dictionary<string, object?>
        {
            ["name"] = name,
            ["email"] = context.Form.GetValueOrDefault("email"),
            ["source"] = context.Link!.Subject,
        }, cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, outcome.Errors[0].Field);
        }

        // A plugin bug after the write: the host must undo the write and keep the link unused.
        return name == "crash" ? throw new InvalidOperationException("crashed after writing the lead") : EndpointResponse.Html("<p>Thank you.</p>");
    }
}

/// <summary>GET /p/forms/open/{campaign}?token=… — a tracking pixel; its link is opened again and again.</summary>
public sealed class TrackOpen : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Get;

    /// <inheritdoc/>
    public string Route => "open/{campaign}";

    /// <inheritdoc/>
    public EndpointAccess Access { get; } = EndpointAccess.SignedLink("open");

    /// <inheritdoc/>
    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        await context.PrivilegedRecords.CreateAsync("pixelHit", new Dictionary<string, object?>
        {
            ["subject"] = context.Link!.Subject,
            ["campaign"] = context.RouteValues["campaign"],
        }, cancellationToken);
        return EndpointResponse.Pixel();
    }
}

/// <summary>
/// GET /p/forms/go?token=… — a tracked click that redirects. Naively prefers a <c>to</c> parameter over
/// the link's signed target, as a careless plugin might: the host must not follow it off-site.
/// </summary>
public sealed class FollowLink : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Get;

    /// <inheritdoc/>
    public string Route => "go";

    /// <inheritdoc/>
    public EndpointAccess Access { get; } = EndpointAccess.SignedLink("click");

    /// <inheritdoc/>
    public Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) =>
        Task.FromResult(EndpointResponse.Redirect(context.Query.GetValueOrDefault("to") ?? context.Link!.Target ?? "/"));
}

/// <summary>GET /p/forms/peek?token=… — reads leads as the link's public identity, which may read nothing.</summary>
public sealed class PeekAsPublic : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Get;

    /// <inheritdoc/>
    public string Route => "peek";

    /// <inheritdoc/>
    public EndpointAccess Access { get; } = EndpointAccess.SignedLink("peek");

    /// <inheritdoc/>
    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) =>
        EndpointResponse.Json((await context.Records.FindAsync("webLead", cancellationToken: cancellationToken)).Count);
}

/// <summary>POST /p/forms/hooks/{kind} with the tenant's key — an inbound webhook, written as the key's user.</summary>
public sealed class ReceiveWebhook : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Post;

    /// <inheritdoc/>
    public string Route => "hooks/{kind}";

    /// <inheritdoc/>
    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var outcome = await context.Records.CreateAsync("webhookEvent", new Dictionary<string, object?>
        {
            ["kind"] = context.RouteValues["kind"],
            ["payload"] = Encoding.UTF8.GetString(context.Body.Span),
        }, cancellationToken);
        return EndpointResponse.Json(new { id = outcome.Record!.Id, signature = context.Headers.GetValueOrDefault("X-Signature"), authorization = context.Headers.ContainsKey("Authorization") }, 201);
    }
}

/// <summary>GET /p/forms/boom with the tenant's key — always fails, with details no client may see.</summary>
public sealed class Boom : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Get;

    /// <inheritdoc/>
    public string Route => "boom";

    /// <inheritdoc/>
    public Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("connection string Password=hunter2 rejected");
}

/// <summary>GET /p/forms/nothing with the tenant's key — answers 204 with no body, as a webhook receiver does.</summary>
public sealed class Acknowledge : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Get;

    /// <inheritdoc/>
    public string Route => "nothing";

    /// <inheritdoc/>
    public Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) => Task.FromResult(EndpointResponse.Empty());
}

/// <summary>GET /p/forms/stall with the tenant's key — never answers on its own.</summary>
public sealed class Stall : IPublicEndpoint
{
    /// <inheritdoc/>
    public EndpointMethod Method => EndpointMethod.Get;

    /// <inheritdoc/>
    public string Route => "stall";

    /// <inheritdoc/>
    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return EndpointResponse.Empty();
    }
}

/// <summary>query formLink(purpose, subject, target, seconds): String — signs a link, as a plugin does for its e-mails.</summary>
public sealed class FormLink(ILinkSigner links) : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "formLink";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Signs a link to one of the plugin's public endpoints.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("purpose", TypeRef.String.NonNull()),
        new("subject", TypeRef.String.NonNull()),
        new("target", TypeRef.String),
        new("seconds", TypeRef.Int),
    ];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.String.NonNull();

    /// <inheritdoc/>
    public Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var grant = new LinkGrant(context.Identity.TenantId, "forms", context.Argument<string>("purpose")!, context.Argument<string>("subject")!)
        {
            Target = context.Argument<string>("target"),
        };
        return Task.FromResult<object?>(links.Sign(grant, TimeSpan.FromSeconds(context.Argument<int?>("seconds") ?? 3600)));
    }
}
