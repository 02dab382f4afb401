using System.Net;
using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Capture;

/// <summary>
/// <c>POST /p/marketing/form?token=…</c>: a campaign's public web form. The host has checked the form
/// token (signed for one campaign by <c>campaignFormLink</c>) and the caller's request rate. A filled
/// honeypot field (<c>website</c>, hidden from people) is a bot: it is thanked and nothing is written.
/// Otherwise the visitor becomes a sales lead (source webForm; sales' hooks clean, de-duplicate, score
/// and assign it) and a responded member of the campaign, with the UTM parameters it came with (form
/// fields or the query string), and the submission is an interaction on the lead's timeline; all of
/// it commits together, or nothing does.
/// </summary>
internal sealed class WebFormEndpoint : IPublicEndpoint
{
    private static readonly string[] Copied = ["name", "email", "phone", "company", "title"];
    private static readonly string[] UtmFields = ["utmSource", "utmMedium", "utmCampaign"];

    public EndpointMethod Method => EndpointMethod.Post;

    public string Route => "form";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink("form");

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        string? Field(string name) => context.Form.GetValueOrDefault(name) is { Length: > 0 } value ? value.Trim() : context.Query.GetValueOrDefault(name)?.Trim();
        if (!string.IsNullOrWhiteSpace(context.Form.GetValueOrDefault("website")))
        {
            return Thanks();
        }

        var records = context.PrivilegedRecords;
        if (!Guid.TryParse(context.Link?.Subject, out var campaignId) || await records.GetAsync(CampaignEntity.Name, campaignId, cancellationToken) is not { } campaign)
        {
            throw new OperationException(MarketingErrors.NotFound, "The form's campaign no longer exists.", "token");
        }

        if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
        {
            throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is over; its form takes no more submissions.", "token");
        }

        if (string.IsNullOrWhiteSpace(Field("name")))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give your name.", "name");
        }

        if (string.IsNullOrWhiteSpace(Field("email")) && string.IsNullOrWhiteSpace(Field("phone")))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give an e-mail address or a phone number.", "email");
        }

        var lead = new FieldValues { ["source"] = "webForm", ["lastCapturedAt"] = DateTime.UtcNow, ["description"] = $"网页表单 / Web form: {campaign.GetValue<string>("name")}" };
        foreach (var name in Copied.Where(n => !string.IsNullOrWhiteSpace(Field(n))))
        {
            lead[name] = Field(name);
        }

        var created = await Writes.RequireAsync(records.CreateAsync("lead", lead, cancellationToken));
        var member = new FieldValues { ["campaign"] = campaignId, ["lead"] = created.Id, ["memberStatus"] = "responded" };
        foreach (var (field, parameter) in new[] { ("utmSource", "utm_source"), ("utmMedium", "utm_medium"), ("utmCampaign", "utm_campaign") })
        {
            member[field] = Field(parameter) is { Length: > 0 } utm ? utm[..Math.Min(100, utm.Length)] : null;
        }

        var membership = await Writes.RequireAsync(records.CreateAsync(CampaignMemberEntity.Name, member, cancellationToken));
        await InteractionLog.RecordAsync(records, "formSubmitted", "lead", created.Id, DateTime.UtcNow,
            new InteractionFacts(campaignId, membership.Id, Detail: Utm(member)), cancellationToken);
        return Thanks();
    }

    /// <summary>The UTM parameters the visitor came with, as the interaction's detail (null without any).</summary>
    private static string? Utm(FieldValues member) =>
        string.Join(" ", UtmFields.Where(f => member[f] is string).Select(f => $"{f}={member[f]}")) is { Length: > 0 } utm ? utm : null;

    private static EndpointResponse Thanks() => EndpointResponse.Html($"<!doctype html><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode("提交成功 / Thank you")}</title><p>感谢您的关注，我们会尽快与您联系。 / Thank you, we will be in touch soon.</p>");
}
