using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Care;

/// <summary>
/// The surveys (满意度调查) a resolved case's contact gets in one e-mail through the tenant's
/// messaging: a signed link to rate the case 1–5 (CSAT) and one to say 0–10 how likely they are to
/// recommend us (NPS). Each link names the case (its subject) and works once; both are valid 30 days.
/// </summary>
internal static class SatisfactionSurvey
{
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
        var address = (await context.Settings.GetAsync<string>(ServicePlugin.PublicAddress, cancellationToken) ?? string.Empty).TrimEnd('/');
        string Link(SurveyKind kind) => $"{address}/p/service/{kind.Purpose}?token=" + links.Sign(new LinkGrant(context.Identity.TenantId, "service", kind.Purpose, @case.Id.ToString()), Lifetime);
        var (link, nps) = (Link(SurveyKind.Csat), Link(SurveyKind.Nps));
        var subject = System.Net.WebUtility.HtmlEncode(@case.GetValue<string>("subject"));
        var sent = await context.Messaging.SendAsync(
            new OutboundMessage(MessageChannel.Email, "contact", contact, "service")
            {
                Subject = $"[{number}] 请评价我们的服务 / How did we do?",
                Body = $"<p>您的服务请求 {number}（{subject}）已解决。请为我们的服务打分（1–5）：</p><p><a href=\"{link}\">{link}</a></p><p>Your case {number} is resolved. Please rate our service from 1 to 5 at the link above.</p><p>您有多大可能向朋友或同事推荐我们（0–10）？/ How likely are you to recommend us (0–10)?</p><p><a href=\"{nps}\">{nps}</a></p>",
            },
            cancellationToken);
        // A contact who opted out of service mail, or has no address, isn't asked; the resolution stands.
        return sent.Succeeded ? now : null;
    }
}

/// <summary>A survey's question, scale and the case fields its answer goes to.</summary>
internal sealed record SurveyKind(string Purpose, int Min, int Max, string Prefix, string Question)
{
    public static readonly SurveyKind Csat = new("csat", 1, 5, "csat", "请为本次服务打分 / Rate our service");

    public static readonly SurveyKind Nps = new("nps", 0, 10, "nps", "您有多大可能向朋友或同事推荐我们？/ How likely are you to recommend us?");
}

/// <summary>The survey page a link opens: the case's number and subject and a form to answer (the link is not used up by looking).</summary>
internal abstract class SurveyPage(SurveyKind kind) : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Get;

    public string Route => kind.Purpose;

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(kind.Purpose);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var @case = await SurveyAnswer.CaseAsync(context, cancellationToken);
        var title = System.Net.WebUtility.HtmlEncode($"{@case.GetValue<string>("number")} {@case.GetValue<string>("subject")}");
        var buttons = string.Concat(Enumerable.Range(kind.Min, kind.Max - kind.Min + 1).Select(i => $"<button name=\"score\" value=\"{i}\">{i}</button>"));
        return EndpointResponse.Html($"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p>{System.Net.WebUtility.HtmlEncode(kind.Question)}</p><form method=\"post\"><textarea name=\"comment\"></textarea>{buttons}</form></body></html>");
    }
}

/// <summary>The answer: a score on the survey's scale and an optional comment, stored on the case. The link works once; bad input leaves it unused.</summary>
internal abstract class SurveyAnswer(SurveyKind kind, TimeProvider time) : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Post;

    public string Route => kind.Purpose;

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(kind.Purpose, singleUse: true);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var @case = await CaseAsync(context, cancellationToken);
        if (!int.TryParse(context.Form.GetValueOrDefault("score"), out var score) || score < kind.Min || score > kind.Max)
        {
            throw new OperationException(ServiceErrors.InvalidInput, $"The score is a whole number from {kind.Min} to {kind.Max}.", "score");
        }

        var comment = context.Form.GetValueOrDefault("comment")?.Trim();
        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues
        {
            [kind.Prefix + "Score"] = score,
            [kind.Prefix + "Comment"] = string.IsNullOrEmpty(comment) ? null : Customers.Truncate(comment, 2000),
            [kind.Prefix + "AnsweredAt"] = time.GetUtcNow().UtcDateTime,
        }, cancellationToken: cancellationToken));
        return EndpointResponse.Html("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>谢谢 / Thank you</title></head><body><p>感谢您的评价。Thank you for your answer.</p></body></html>");
    }

    /// <summary>The case the link was signed for.</summary>
    public static async Task<CrmRecord> CaseAsync(IEndpointContext context, CancellationToken cancellationToken) =>
        (Guid.TryParse(context.Link?.Subject, out var id) ? await context.PrivilegedRecords.GetAsync(CaseEntity.Name, id, cancellationToken) : null)
        ?? throw new OperationException(ServiceErrors.NotFound, "The case of this survey no longer exists.", "token");
}

/// <summary>GET /p/service/csat: the CSAT form (1–5).</summary>
internal sealed class CsatPage() : SurveyPage(SurveyKind.Csat);

/// <summary>POST /p/service/csat: the CSAT answer.</summary>
internal sealed class CsatAnswer(TimeProvider time) : SurveyAnswer(SurveyKind.Csat, time);

/// <summary>GET /p/service/nps: the NPS form (0–10).</summary>
internal sealed class NpsPage() : SurveyPage(SurveyKind.Nps);

/// <summary>POST /p/service/nps: the NPS answer.</summary>
internal sealed class NpsAnswer(TimeProvider time) : SurveyAnswer(SurveyKind.Nps, time);
