using System.Net;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Endpoints;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// Moves the member a signed link names to a status, when that is forward for them
/// (an open after a click, or anything after an unsubscribe, changes nothing). The host has checked
/// the link's signature, plugin, purpose and expiry; the handler acts as the public identity and
/// writes only the member the link was signed for.
/// </summary>
internal static class Tracking
{
    public static async Task RecordAsync(IEndpointContext context, string status, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.Link?.Subject, out var memberId)
            || await context.PrivilegedRecords.GetAsync(CampaignMemberEntity.Name, memberId, cancellationToken) is not { } member
            || MemberStatuses.Refusal(member.GetValue<string>("memberStatus") ?? "targeted", status) is not null)
        {
            return;
        }

        await context.PrivilegedRecords.UpdateAsync(CampaignMemberEntity.Name, memberId, new FieldValues { ["memberStatus"] = status }, cancellationToken: cancellationToken);
    }
}

/// <summary>
/// A tracking endpoint: a signed link of its own purpose (the route), which moves the member to
/// <c>status</c> (none for a page that only asks) and answers.
/// </summary>
internal abstract class TrackingEndpoint(EndpointMethod method, string route, string? status) : IPublicEndpoint
{
    public EndpointMethod Method => method;

    public string Route => route;

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(route);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        if (status is not null)
        {
            await Tracking.RecordAsync(context, status, cancellationToken);
        }

        return Answer(context);
    }

    protected abstract EndpointResponse Answer(IEndpointContext context);
}

/// <summary><c>GET /p/marketing/open?token=…</c>: the open pixel.</summary>
internal sealed class OpenPixel() : TrackingEndpoint(EndpointMethod.Get, "open", "opened")
{
    protected override EndpointResponse Answer(IEndpointContext context) => EndpointResponse.Pixel();
}

/// <summary><c>GET /p/marketing/click?token=…</c>: records the click and redirects to the one URL the link was signed for.</summary>
internal sealed class ClickRedirect() : TrackingEndpoint(EndpointMethod.Get, "click", "clicked")
{
    protected override EndpointResponse Answer(IEndpointContext context) => EndpointResponse.Redirect(context.Link!.Target!);
}

/// <summary><c>GET /p/marketing/unsubscribe?token=…</c>: a page asking to confirm (so link scanners opening it change nothing).</summary>
internal sealed class UnsubscribePage() : TrackingEndpoint(EndpointMethod.Get, "unsubscribe", null)
{
    protected override EndpointResponse Answer(IEndpointContext context) => EndpointResponse.Html(
        $"<!doctype html><meta charset=\"utf-8\"><title>退订 / Unsubscribe</title><form method=\"post\"><input type=\"hidden\" name=\"token\" value=\"{WebUtility.HtmlEncode(context.Query.GetValueOrDefault("token") ?? string.Empty)}\">"
        + "<p>不再接收此类营销邮件？ / Stop receiving these marketing e-mails?</p><button type=\"submit\">退订 / Unsubscribe</button></form>");
}

/// <summary><c>POST /p/marketing/unsubscribe?token=…</c>: the member is unsubscribed (one click from a mail client, or the page's button).</summary>
internal sealed class Unsubscribe() : TrackingEndpoint(EndpointMethod.Post, "unsubscribe", "unsubscribed")
{
    protected override EndpointResponse Answer(IEndpointContext context) =>
        EndpointResponse.Html("<!doctype html><meta charset=\"utf-8\"><p>已退订，您将不再收到此类邮件。 / You are unsubscribed.</p>");
}
