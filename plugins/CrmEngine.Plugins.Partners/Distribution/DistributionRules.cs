using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Incentives;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Distribution;

/// <summary>
/// The partner a lead is with is kept by distribution (clients can't write it); a lead the partner
/// accepted and sales converts with an opportunity makes that opportunity partner-sourced, so it
/// flows into sales' funnel and forecast, and the partner's commissions, as the partner's.
/// </summary>
internal sealed class LeadPartnerRules : IBeforeRecordHook
{
    private static readonly string[] Kept = ["partner", "partnerStatus", "partnerDueAt"];

    public string Entity => "lead";

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && Kept.FirstOrDefault(record.IsChanging) is { } kept)
        {
            throw new OperationException(PartnerErrors.ComputedField, $"'{kept}' is kept by lead distribution (distributeLead, acceptPartnerLead, rejectPartnerLead).", kept);
        }

        if (record.IsChanging("convertedOpportunity") && record.GetValue("convertedOpportunity") is Guid opportunity
            && record.GetValue("partnerStatus") as string == "accepted" && record.GetValue("partner") is Guid partner)
        {
            await Writes.RequireAsync(record.PrivilegedRecords.UpdateAsync("opportunity", opportunity, new FieldValues { ["partner"] = partner, ["partnerRole"] = "sourced" }, cancellationToken: cancellationToken), "convertedOpportunity");
        }
    }
}

/// <summary>Offers are made and answered by the module only.</summary>
internal sealed class OfferRules() : ComputedIncentiveRules(DistributionEntities.Offer, "lead", "partner", "rule", "status", "offeredAt", "dueAt", "decidedAt", "reason");
