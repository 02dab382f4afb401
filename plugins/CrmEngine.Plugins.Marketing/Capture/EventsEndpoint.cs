using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Capture;

/// <summary>
/// <c>POST /p/marketing/event?token=…</c>: a website reports what a known person did, as an interaction
/// on their timeline. The token is a visitor token (<see cref="VisitorToken"/>) the host has verified, so
/// the person is the one it was signed for, never one the request names. The fields (form-encoded, as
/// <c>navigator.sendBeacon</c> posts them): <c>type</c> <c>pageVisit</c> with the page's absolute
/// http(s) <c>url</c>, or <c>customEvent</c> with its <c>name</c> (letters, digits, <c>.</c>, <c>-</c>,
/// <c>_</c>; up to 100) and optionally the <c>url</c> it happened on; <c>detail</c> is free text (the
/// page's title, the event's value). Besides the host's limit per client address, one person's token
/// takes at most <see cref="PerMinute"/> events a minute (<c>MKT_RATE_LIMITED</c>), so a leaked token
/// can't flood a timeline.
/// </summary>
internal sealed class EventsEndpoint : IPublicEndpoint
{
    public const int PerMinute = 20;
    private static readonly string[] Kinds = ["pageVisit", "customEvent"];

    public EndpointMethod Method => EndpointMethod.Post;

    public string Route => "event";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(VisitorToken.Purpose);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        string? Field(string name) => context.Form.GetValueOrDefault(name) is { Length: > 0 } value ? value.Trim() : null;
        var records = context.PrivilegedRecords;
        if (VisitorToken.Person(context.Link) is not { } person || await records.GetAsync(person.Entity, person.Id, cancellationToken) is null)
        {
            throw new OperationException(MarketingErrors.NotFound, "The visitor this token was made for no longer exists.", "token");
        }

        var (entity, id) = person;

        var kind = Field("type");
        if (kind is null || !Kinds.Contains(kind))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give the event's type: pageVisit or customEvent.", "type");
        }

        var url = Field("url");
        if ((url is not null || kind == "pageVisit") && !IsPage(url))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give the page's absolute http(s) address (at most 2,000 characters).", "url");
        }

        var name = Field("name");
        if (kind == "customEvent" && !EventName.IsValid(name))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give the event's name: letters, digits, '.', '-' or '_', at most 100.", "name");
        }

        var now = DateTime.UtcNow;
        var recent = Condition.Eq(entity, id).And(Condition.In("kind", Kinds)).And(Condition.Gte("occurredAt", now.AddMinutes(-1)));
        if ((await records.FindAsync(InteractionEntity.Name, recent, PerMinute, cancellationToken)).Count >= PerMinute)
        {
            throw new OperationException(MarketingErrors.RateLimited, $"At most {PerMinute} events a minute are taken for one visitor; try again later.", "token");
        }

        await InteractionLog.RecordAsync(records, kind, entity, id, now, new InteractionFacts(EventName: kind == "customEvent" ? name : null, Url: url, Detail: Field("detail")), cancellationToken);
        return EndpointResponse.Json(new Dictionary<string, object?> { ["recorded"] = kind });
    }

    private static bool IsPage(string? url) =>
        url is { Length: <= 2000 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>A custom event's name, as the events endpoint takes it and a journey's entry names it: letters, digits, <c>.</c>, <c>-</c>, <c>_</c>; up to 100.</summary>
internal static class EventName
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 100 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
