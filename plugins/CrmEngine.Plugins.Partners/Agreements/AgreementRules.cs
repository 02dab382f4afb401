using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Agreements;

/// <summary>
/// An agreement's dates and exclusivity make sense; its status moves only through the approval
/// service (submitForApproval, approve, reject, recall); an approved agreement's terms stay as
/// approved; and what is submitted or approved belongs to an active partner and collides with no
/// other partner's approved exclusivity. The checks run on the approval service's own status write,
/// so they hold on every path to approval.
/// </summary>
internal sealed class AgreementRules : IRecordValidator
{
    public string Entity => AgreementEntities.Agreement;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var status = record.GetValue("status") as string;
        ApprovalStatus.RefuseDirectWrite(record, "An agreement's");

        if (record.IsDirect && record.GetPreviousValue("status") is "approved" && AgreementEntities.Terms.FirstOrDefault(record.IsChanging) is { } term)
        {
            throw new OperationException(PartnerErrors.InvalidState, "The agreement is approved; its terms are fixed.", term);
        }

        if (record.GetValue("startDate") is DateOnly start && record.GetValue("endDate") is DateOnly end && end < start)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "An agreement ends after it starts.", "endDate");
        }

        var regions = record.GetValue("exclusiveRegions") as IReadOnlyList<string> ?? [];
        if (record.GetValue("exclusive") is true && regions.Count == 0)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "An exclusive agreement names the regions it is exclusive in.", "exclusiveRegions");
        }

        if (record.IsChanging("status") && status is "pendingApproval" or "approved")
        {
            await CheckPartnerAsync(record, cancellationToken);
            if (record.GetValue("exclusive") is true)
            {
                await CheckExclusivityAsync(record, regions, cancellationToken);
            }
        }
    }

    private static async Task CheckPartnerAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var partner = await record.PrivilegedRecords.GetAsync(PartnerEntities.Partner, (Guid)record.GetValue("partner")!, cancellationToken);
        if (partner?.GetValue<string>("status") is not ("active" or "prospect"))
        {
            throw new OperationException(PartnerErrors.PartnerInactive, $"Partner '{partner?.GetValue<string>("name")}' is {partner?.GetValue<string>("status")}; agreements are made with active partners.", "partner");
        }
    }

    /// <summary>Another partner's approved exclusive agreement sharing a region over overlapping dates.</summary>
    private static async Task CheckExclusivityAsync(IRecordContext record, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var (start, end) = ((DateOnly)record.GetValue("startDate")!, (DateOnly)record.GetValue("endDate")!);
        var clash = await record.PrivilegedRecords.FindAsync(
            AgreementEntities.Agreement,
            Condition.All(
                Condition.Eq("status", "approved"),
                Condition.Eq("exclusive", true),
                Condition.Ne("partner", record.GetValue("partner")),
                Condition.HasAny("exclusiveRegions", regions),
                Condition.Lte("startDate", end),
                Condition.Gte("endDate", start)),
            1,
            cancellationToken);
        if (clash.Count > 0)
        {
            var other = clash[0];
            var shared = (other.GetValue<IReadOnlyList<string>>("exclusiveRegions") ?? []).Intersect(regions);
            throw new OperationException(
                PartnerErrors.ExclusivityConflict,
                $"Agreement {other.GetValue<string>("number")} already makes another partner exclusive in {string.Join(", ", shared)} from {other.GetValue("startDate")} to {other.GetValue("endDate")}.",
                "exclusiveRegions");
        }
    }
}

/// <summary>One rate per product category, changed only while the agreement is a draft (or rejected, to be resubmitted).</summary>
internal sealed class RateRules : IRecordValidator
{
    public string Entity => AgreementEntities.Rate;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (await AgreementTerms.OpenAgreementAsync(record, "rates", cancellationToken) is not { } agreement)
        {
            return;
        }

        if (record.Operation != RecordOperations.Delete && (record.IsChanging("category") || record.IsChanging("agreement")))
        {
            var same = await record.PrivilegedRecords.FindAsync(AgreementEntities.Rate, Condition.All(Condition.Eq("agreement", agreement.Id), Condition.Eq("category", record.GetValue("category")), Condition.Ne("id", record.RecordId)), 1, cancellationToken);
            if (same.Count > 0)
            {
                throw new OperationException(PartnerErrors.DuplicateRate, $"Agreement {agreement.GetValue<string>("number")} already has a rate for {record.GetValue("category")}.", "category");
            }
        }
    }
}

/// <summary>What hangs off an agreement (rates, rebate tiers) is fixed once it is submitted.</summary>
internal static class AgreementTerms
{
    /// <summary>The agreement the record belongs to, refused (INVALID_STATE) when pending or approved; null when there is none (the engine refuses the lookup).</summary>
    public static async Task<CrmRecord?> OpenAgreementAsync(IRecordContext record, string what, CancellationToken cancellationToken)
    {
        var agreementId = (record.GetValue("agreement") ?? record.GetPreviousValue("agreement")) as Guid?;
        if (agreementId is not { } id || await record.PrivilegedRecords.GetAsync(AgreementEntities.Agreement, id, cancellationToken) is not { } agreement)
        {
            return null;
        }

        if (agreement.GetValue<string>("status") is "pendingApproval" or "approved")
        {
            throw new OperationException(PartnerErrors.InvalidState, $"Agreement {agreement.GetValue<string>("number")} is {agreement.GetValue<string>("status")}; its {what} are fixed.", "agreement");
        }

        return agreement;
    }
}
