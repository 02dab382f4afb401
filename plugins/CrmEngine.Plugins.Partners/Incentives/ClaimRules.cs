using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Funds;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>
/// An MDF claim (市场基金报销) is filed against an approved request, for no more than the request has
/// left unclaimed; it is submitted with its proof (a file or a reference) and approved through the
/// approval service. Approval takes its amount from the request and the budget in the approval's own
/// transaction with both versions checked, so claims approved at the same moment can't together take
/// more than the request committed: the budget's claimed figure never passes what it committed, and
/// nothing goes below zero, on SQLite and PostgreSQL alike.
/// </summary>
internal sealed class ClaimRules : IBeforeRecordHook
{
    private static readonly string[] Kept = ["budget", "partner", "payout", "paidAt"];

    public string Entity => IncentiveEntities.Claim;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Delete)
        {
            if (record.IsDirect && record.GetPreviousValue("status") is "pendingApproval" or "approved")
            {
                throw new OperationException(PartnerErrors.InvalidState, $"A claim that is {record.GetPreviousValue("status")} can't be deleted.");
            }

            return;
        }

        ApprovalStatus.RefuseDirectWrite(record, "A claim's");
        if (record.IsDirect && Kept.FirstOrDefault(record.IsChanging) is { } kept)
        {
            throw new OperationException(PartnerErrors.ComputedField, $"'{kept}' is kept by the partners module (from the request, and by payPartner).", kept);
        }

        var status = record.GetValue("status") as string;
        if (record.Operation == RecordOperations.Create || record.IsChanging("request") || record.IsChanging("amount") || (record.IsChanging("status") && status == "approved"))
        {
            var request = await UnclaimedAsync(record, cancellationToken);
            record.SetValue("budget", request.GetValue<Guid>("budget"));
            record.SetValue("partner", request.GetValue<Guid>("partner"));
            if (record.IsChanging("status") && status == "approved")
            {
                await TakeAsync(record, request, cancellationToken);
            }
        }

        if (record.IsChanging("status") && status == "pendingApproval" && record.GetValue("proof") is null && string.IsNullOrWhiteSpace(record.GetValue("proofReference") as string))
        {
            throw new OperationException(PartnerErrors.ProofRequired, "Attach the proof of performance or give its reference (invoice number, link) before submitting the claim.", "proof");
        }
    }

    /// <summary>The claim's request, refused unless it is approved and has the claim's amount left unclaimed.</summary>
    private static async Task<CrmRecord> UnclaimedAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var request = record.GetValue("request") is Guid id ? await record.PrivilegedRecords.GetAsync(FundEntities.Request, id, cancellationToken) : null;
        if (request is null)
        {
            throw new OperationException(PartnerErrors.NotFound, "The claim names no MDF request.", "request");
        }

        if (request.GetValue<string>("status") != "approved")
        {
            throw new OperationException(PartnerErrors.OverClaimed, $"Request {request.GetValue<string>("number")} is {request.GetValue<string>("status")}; claims are filed against approved requests.", "request");
        }

        var left = PartnerMoney.AmountOf(request, "amount") - PartnerMoney.AmountOf(request, "claimed");
        var amount = (record.GetValue("amount") as Money)?.Amount ?? 0m;
        if (amount > left)
        {
            throw new OperationException(PartnerErrors.OverClaimed, $"Request {request.GetValue<string>("number")} has {left:0.00} left unclaimed; the claim asks for {amount:0.00}.", "amount");
        }

        return request;
    }

    /// <summary>Adds the claim to its request's and budget's claimed figures, each under its version.</summary>
    private static async Task TakeAsync(IRecordContext record, CrmRecord request, CancellationToken cancellationToken)
    {
        var amount = ((Money)record.GetValue("amount")!).Amount;
        var records = record.PrivilegedRecords;
        await Writes.RequireAsync(records.UpdateAsync(FundEntities.Request, request.Id, new FieldValues { ["claimed"] = PartnerMoney.Cny(PartnerMoney.AmountOf(request, "claimed") + amount) }, request.Version, cancellationToken), "request");
        var budget = (await records.GetAsync(FundEntities.Budget, request.GetValue<Guid>("budget"), cancellationToken))!;
        await Writes.RequireAsync(records.UpdateAsync(FundEntities.Budget, budget.Id, new FieldValues { ["claimed"] = PartnerMoney.Cny(PartnerMoney.AmountOf(budget, "claimed") + amount) }, budget.Version, cancellationToken), "budget");
    }
}
