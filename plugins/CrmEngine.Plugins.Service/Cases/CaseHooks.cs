using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Entitlements;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary>
/// Keeps the lifecycle and the SLA clock in the module's hands: clients write a case's description
/// (subject, priority, category, customer, product, when it was received), never its status, clock
/// or escalation, which only the service operations move. A new case starts its clock at
/// <c>receivedAt</c> (now unless an agent says when the customer called); a change of priority
/// takes the targets of the new priority's policy. A new case is checked against its account's
/// entitlements (<see cref="EntitlementCheck"/>) before its clock starts: an agreement's tier may raise its priority.
/// </summary>
internal sealed class CaseHooks(TimeProvider time) : IBeforeRecordHook
{
    /// <summary>Fields only the module writes, and the values a new case starts with (a create may carry them).</summary>
    private static readonly ManagedFields Managed = new(
        [
            "status", "firstRespondedAt", "resolvedAt", "closedAt", "resolution", "reopenCount", "lastCustomerReplyAt", "escalated", "escalatedAt",
            "escalationReason", "slaPolicy", "firstResponseWarnAt", "firstResponseDueAt", "resolutionWarnAt", "resolutionDueAt", "slaPausedAt",
            "slaPausedMinutes", "slaState", "slaCheckedAt", "assignedAt", "assignmentReason", "csatSentAt", "csatScore", "csatComment", "csatAnsweredAt",
            "entitlement", "entitlementStatus", "hoursLogged", "solutionArticle", "npsScore", "npsComment", "npsAnsweredAt", "mergedIntoCase",
            "awaitingResponseSince", "nextResponseWarnAt", "nextResponseDueAt", "nextResponseBreaches",
        ],
        new Dictionary<string, object> { ["status"] = CaseLifecycle.New, ["reopenCount"] = 0L, ["escalated"] = false, ["slaPausedMinutes"] = 0L, ["slaState"] = SlaStates.None, ["hoursLogged"] = 0m, ["nextResponseBreaches"] = 0L });

    public string Entity => CaseEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var create = record.Operation == RecordOperations.Create;

        // When the customer asked is said once, at creation; later only the module moves the clock.
        if ((Managed.WrittenDirectly(record) ?? (record.IsDirect && !create && record.IsChanging("receivedAt") ? "receivedAt" : null)) is { } field)
        {
            throw new OperationException(ServiceErrors.StatusByOperation, $"A case's {field} is set by the service operations (moveServiceCase, respondToServiceCase, escalateServiceCase, assignServiceCase).", field);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (create)
        {
            var receivedAt = record.GetValue("receivedAt") as DateTime? ?? now;
            if (receivedAt > now)
            {
                throw new OperationException(ServiceErrors.InvalidInput, "A case can't be received in the future.", "receivedAt");
            }

            record.SetValue("receivedAt", receivedAt);
            record.SetValue("awaitingResponseSince", receivedAt);
            await EntitlementCheck.ApplyAsync(record, receivedAt, cancellationToken);
            await ApplyAsync(record, now, cancellationToken);
        }
        else if (record.IsChanging("priority") && record.GetValue("status") is not (CaseLifecycle.Resolved or CaseLifecycle.Closed) && !record.IsChanging("slaPolicy"))
        {
            await ApplyAsync(record, now, cancellationToken);
        }
    }

    private static async Task ApplyAsync(IRecordContext record, DateTime now, CancellationToken cancellationToken)
    {
        var sla = await SlaTerms.ForAsync(record.PrivilegedRecords, record.GetValue, now, cancellationToken);
        foreach (var (field, value) in sla)
        {
            record.SetValue(field, value);
        }
    }
}
