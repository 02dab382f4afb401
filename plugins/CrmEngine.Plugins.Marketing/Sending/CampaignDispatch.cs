using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Plugins.Marketing.Sms;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Marketing.Sending;

/// <summary>
/// Sends a campaign's message to its targeted members by its channel, as <c>sendCampaignEmail</c> and
/// <c>sendCampaignSms</c> do (the same checks, the same copies, the same result); what a scheduled send
/// runs. The engine's messaging queues the messages and delivers them at the channel's pace (its
/// per-second throttle and daily cap).
/// </summary>
internal static class CampaignDispatch
{
    public static async Task<Dictionary<string, object?>> SendAsync(IRecordApi records, IMessaging messaging, ILinkSigner links, ICrmIdentity identity, IPluginSettings settings, CrmRecord campaign, CancellationToken cancellationToken)
    {
        if (campaign.GetValue<string>("type") == "sms")
        {
            CampaignSends.RequireSending(campaign, "sms", "SMS");
            SendCampaignSms.RequireText(campaign);
            return await CampaignSends.ToTargetedAsync(records, campaign, member => SendCampaignSms.SendToAsync(records, messaging, campaign, member, cancellationToken), cancellationToken);
        }

        CampaignSends.RequireSending(campaign, "email", "e-mail");
        SendCampaignEmail.RequireMessage(campaign);
        var mail = await MailSetup.LoadAsync(links, identity, settings, cancellationToken);
        return await CampaignSends.ToTargetedAsync(records, campaign, member => SendCampaignEmail.SendToAsync(records, messaging, mail, campaign, member, cancellationToken), cancellationToken);
    }
}
