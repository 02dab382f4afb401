using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// A registration is made by submitDealRegistration (which checks the partner and finds the
/// conflicts) and moves through the approval service and the module's operations; clients may edit
/// only its notes and contact name directly, and delete it only once it no longer claims anything.
/// </summary>
internal sealed class RegistrationRules : IRecordValidator
{
    public string Entity => RegistrationEntities.Registration;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsDirect)
        {
            return Task.CompletedTask;
        }

        switch (record.Operation)
        {
            case RecordOperations.Create:
                throw new OperationException(PartnerErrors.InvalidState, "Deal registrations are submitted with submitDealRegistration, which checks them for conflicts.");
            case RecordOperations.Delete when record.GetPreviousValue("status") is "pendingApproval" or "approved" or "converted":
                throw new OperationException(PartnerErrors.InvalidState, $"A registration that is {record.GetPreviousValue("status")} can't be deleted.");
            case RecordOperations.Update when RegistrationEntities.Managed.FirstOrDefault(record.IsChanging) is { } managed:
                throw new OperationException(PartnerErrors.ComputedField, $"'{managed}' is kept by the partners module (submit, approve, extend, convert).", managed);
            case RecordOperations.Update when record.GetValue("status") is not ("draft" or "pendingApproval") && RegistrationEntities.Claim.FirstOrDefault(record.IsChanging) is { } claimed:
                throw new OperationException(PartnerErrors.InvalidState, $"The registration is {record.GetValue("status")}; what it claims is fixed.", claimed);
            default:
                return Task.CompletedTask;
        }
    }
}

/// <summary>
/// On approval (by approveDealRegistration or the approval service's own <c>approve</c>): refused
/// while another partner's approved (or converted) registration still protects the same customer; otherwise the
/// registration is protected for the tenant's protection period from the day it is approved.
/// </summary>
internal sealed class RegistrationApproval : IBeforeRecordHook
{
    // A converted registration keeps protecting its customer until its period ends: the deal is in the pipeline.
    private static readonly IReadOnlyList<object?> Protecting = ["approved", "converted"];

    public string Entity => RegistrationEntities.Registration;

    public RecordOperations Operations => RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsChanging("status") || record.GetValue("status") as string != "approved")
        {
            return;
        }

        var now = DateTime.UtcNow;
        var today = PartnerSettings.Today(now);
        var keys = new CustomerKeys(record.GetValue("dealMatchName") as string, record.GetValue("dealMatchDomain") as string, record.GetValue("dealMatchPhone") as string);
        if (keys.Matching(true, Condition.In("status", Protecting), Condition.Gte("protectedUntil", today), Condition.Ne("partner", record.GetValue("partner")), Condition.Ne("id", record.RecordId)) is { } protectingThis)
        {
            var protecting = await record.PrivilegedRecords.FindAsync(
                RegistrationEntities.Registration,
                protectingThis,
                1,
                cancellationToken);
            if (protecting.Count > 0)
            {
                var other = protecting[0];
                throw new OperationException(PartnerErrors.DealProtected, $"Registration {other.GetValue<string>("number")} of another partner protects this customer until {other.GetValue<DateOnly?>("protectedUntil"):yyyy-MM-dd}.", "id");
            }
        }

        record.SetValue("approvedAt", now);
        record.SetValue("protectedUntil", today.AddDays(await PartnerSettings.DaysAsync(record.Settings, PartnerSettings.ProtectionDays, cancellationToken)));
    }
}
