using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Sending;

/// <summary>
/// Keeps scheduled sends sound. A client books one for an e-mail or SMS campaign that is not finished,
/// at a future time, and while it is still scheduled may move it to another future time or cancel it;
/// its campaign is fixed, and what it did is the job's to write. The job's move from scheduled to sent
/// runs the send here, in the same transaction as that move: the record's version is the claim (a
/// second host, or a retried run, that read it scheduled fails on the version and writes nothing), so
/// each booked send goes out once. A campaign that can't send when the time comes (paused, no
/// message) turns the send failed with the reason, and sends nothing.
/// </summary>
internal sealed class ScheduledSendHooks(ILinkSigner links) : IBeforeRecordHook
{
    public string Entity => ScheduledSendEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsDirect)
        {
            if (record.Operation == RecordOperations.Update && record.IsChanging("status") && record.GetPreviousValue("status") as string == "scheduled" && record.GetValue("status") as string == "sent")
            {
                await RunAsync(record, cancellationToken);
            }

            return;
        }

        if (ScheduledSendEntity.Results.FirstOrDefault(record.ChangingFields.Contains) is { } computed)
        {
            throw new OperationException(MarketingErrors.ComputedField, $"'{computed}' is written when the send runs.", computed);
        }

        var status = record.GetValue("status") as string ?? "scheduled";
        if (record.Operation == RecordOperations.Create)
        {
            if (status != "scheduled")
            {
                throw new OperationException(MarketingErrors.InvalidTransition, "A send is booked scheduled; the job sends it.", "status");
            }

            await CheckCampaignAsync(record, cancellationToken);
        }
        else
        {
            if (record.GetPreviousValue("status") as string != "scheduled")
            {
                throw new OperationException(MarketingErrors.InvalidTransition, $"The send is {record.GetPreviousValue("status")}; only a scheduled send can be moved or cancelled.", record.IsChanging("status") ? "status" : "sendAt");
            }

            if (record.IsChanging("status") && status != "cancelled")
            {
                throw new OperationException(MarketingErrors.InvalidTransition, $"A scheduled send can only be cancelled by hand; the job makes it {status}.", "status");
            }

            if (record.IsChanging("campaign"))
            {
                throw new OperationException(MarketingErrors.InvalidInput, "A send's campaign is fixed; book a send for the other campaign.", "campaign");
            }
        }

        if ((record.Operation == RecordOperations.Create || record.IsChanging("sendAt")) && record.GetValue("sendAt") is DateTime at && at <= DateTime.UtcNow)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "A send is booked for a future time.", "sendAt");
        }
    }

    /// <summary>Only an e-mail or SMS campaign that is not completed or cancelled takes a booked send.</summary>
    private static async Task CheckCampaignAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("campaign") is not Guid id || await record.Records.GetAsync(CampaignEntity.Name, id, cancellationToken) is not { } campaign)
        {
            return; // the engine refuses a missing or unknown campaign as it refuses any bad lookup
        }

        if (campaign.GetValue<string>("type") is not ("email" or "sms"))
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"Campaign '{campaign.GetValue<string>("name")}' is a {campaign.GetValue<string>("type")} campaign; only e-mail and SMS campaigns send.", "campaign");
        }

        if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
        {
            throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; it sends nothing more.", "campaign");
        }
    }

    /// <summary>Sends the campaign to its targeted members now and writes the result on the record; a campaign that can't send fails it.</summary>
    private async Task RunAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var records = record.PrivilegedRecords;
        var campaign = await records.GetAsync(CampaignEntity.Name, (Guid)record.GetValue("campaign")!, cancellationToken);
        try
        {
            var result = campaign is null
                ? throw new OperationException(MarketingErrors.NotFound, "The campaign is gone.")
                : await CampaignDispatch.SendAsync(records, record.Messaging, links, record.Identity, record.Settings, campaign, cancellationToken);
            var skipped = (List<Dictionary<string, object?>>)result["skipped"]!;
            record.SetValue("sentCount", result["sent"]);
            record.SetValue("skippedCount", skipped.Count);
            record.SetValue("outcome", skipped.Count == 0 ? "sent" : "skipped: " + string.Join(", ", skipped.GroupBy(s => (string)s["code"]!).Select(g => $"{g.Count()} {g.Key}")));
        }
        catch (OperationException e)
        {
            record.SetValue("status", "failed");
            record.SetValue("outcome", $"{e.Code}: {e.Message}"[..Math.Min(500, e.Code.Length + 2 + e.Message.Length)]);
        }
    }
}
