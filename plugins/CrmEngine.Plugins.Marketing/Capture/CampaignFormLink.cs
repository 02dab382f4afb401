using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Capture;

/// <summary>
/// <c>campaignFormLink(campaignId)</c>: the address a campaign's web form posts to, carrying a form
/// token signed for that campaign (a year long). The host refuses an altered token before the form
/// endpoint runs, so a visitor can only ever submit to the campaign the token names.
/// </summary>
internal sealed class CampaignFormLink(ILinkSigner links) : IPluginOperation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public string Name => "campaignFormLink";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The signed address a campaign's web form posts to (fields name, email, phone, company, title, utm_source, utm_medium, utm_campaign; a hidden 'website' field is the honeypot).";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("campaignId", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.String.NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var campaign = await Writes.ExistingAsync(context.Records, CampaignEntity.Name, context.RecordId("campaignId", CampaignEntity.Name), "campaignId", cancellationToken);
        if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
        {
            throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; it takes no new members.", "campaignId");
        }

        var baseUrl = await context.Settings.GetAsync<string>("trackingBaseUrl", cancellationToken) ?? string.Empty;
        return $"{baseUrl.TrimEnd('/')}/p/{Mailing.Plugin}/form?token=" + links.Sign(new LinkGrant(context.Identity.TenantId, Mailing.Plugin, "form", campaign.Id.ToString()), Lifetime);
    }
}
