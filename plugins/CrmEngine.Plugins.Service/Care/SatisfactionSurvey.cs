using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Care;

/// <summary>
/// The satisfaction survey (满意度调查) a resolved case's contact gets: an e-mail through the tenant's
/// messaging with a signed link to rate the case 1–5. The link names the case (its subject) and works
/// once; it is valid 30 days.
/// </summary>
internal static class SatisfactionSurvey
{
    public const string Purpose = "csat";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>
    /// Queues the survey for <paramref name="case"/> (in the mutation's transaction: sent only if the
    /// resolution commits) and returns when it was sent; null when the case has no contact to ask.
    /// </summary>
    public static async Task<DateTime?> SendAsync(IOperationContext context, ILinkSigner links, CrmRecord @case, DateTime now, CancellationToken cancellationToken)
    {
        if (@case.GetValue<Guid?>("contact") is not { } contact)
        {
            return null;
        }

        var number = @case.GetValue<string>("number");
        var link = (await context.Settings.GetAsync<string>(ServicePlugin.PublicAddress, cancellationToken) ?? string.Empty).TrimEnd('/') + "/p/service/csat?token=" + links.Sign(new LinkGrant(context.Identity.TenantId, "service", Purpose, @case.Id.ToString()), Lifetime);
        var subject = System.Net.WebUtility.HtmlEncode(@case.GetValue<string>("subject"));
        var sent = await context.Messaging.SendAsync(
            new OutboundMessage(MessageChannel.Email, "contact", contact, "service")
            {
                Subject = $"[{number}] 请评价我们的服务 / How did we do?",
                Body = $"<p>您的服务请求 {number}（{subject}）已解决。请为我们的服务打分（1–5）：</p><p><a href=\"{link}\">{link}</a></p><p>Your case {number} is resolved. Please rate our service from 1 to 5 at the link above.</p>",
            },
            cancellationToken);
        // A contact who opted out of service mail, or has no address, isn't asked; the resolution stands.
        return sent.Succeeded ? now : null;
    }
}

/// <summary>The survey page the link opens: the case's number and subject and a form to rate it (the link is not used up by looking).</summary>
internal sealed class SurveyPage : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Get;

    public string Route => "csat";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(SatisfactionSurvey.Purpose);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var @case = await SurveyAnswer.CaseAsync(context, cancellationToken);
        var title = System.Net.WebUtility.HtmlEncode($"{@case.GetValue<string>("number")} {@case.GetValue<string>("subject")}");
        var buttons = string.Concat(Enumerable.Range(1, 5).Select(i => $"<button name=\"score\" value=\"{i}\">{i}</button>"));
        return EndpointResponse.Html($"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><form method=\"post\"><textarea name=\"comment\"></textarea>{buttons}</form></body></html>");
    }
}

/// <summary>The answer: a score 1–5 and an optional comment, stored on the case. The link works once; bad input leaves it unused.</summary>
internal sealed class SurveyAnswer(TimeProvider time) : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Post;

    public string Route => "csat";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(SatisfactionSurvey.Purpose, singleUse: true);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var @case = await CaseAsync(context, cancellationToken);
        if (!int.TryParse(context.Form.GetValueOrDefault("score"), out var score) || score is < 1 or > 5)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "The score is a whole number from 1 to 5.", "score");
        }

        var comment = context.Form.GetValueOrDefault("comment")?.Trim();
        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues
        {
            ["csatScore"] = score,
            ["csatComment"] = string.IsNullOrEmpty(comment) ? null : Customers.Truncate(comment, 2000),
            ["csatAnsweredAt"] = time.GetUtcNow().UtcDateTime,
        }, cancellationToken: cancellationToken));
        return EndpointResponse.Html("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>谢谢 / Thank you</title></head><body><p>感谢您的评价。Thank you for your answer.</p></body></html>");
    }

    /// <summary>The case the link was signed for.</summary>
    public static async Task<CrmRecord> CaseAsync(IEndpointContext context, CancellationToken cancellationToken) =>
        (Guid.TryParse(context.Link?.Subject, out var id) ? await context.PrivilegedRecords.GetAsync(CaseEntity.Name, id, cancellationToken) : null)
        ?? throw new OperationException(ServiceErrors.NotFound, "The case of this survey no longer exists.", "token");
}
