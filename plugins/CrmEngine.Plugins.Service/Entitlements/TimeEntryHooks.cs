using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Entitlements;

/// <summary>
/// Hours logged on a case (<c>createServiceTimeEntry</c>) add to the case's <c>hoursLogged</c> and,
/// when the case's entitlement counts hours, use them from it: more than it has left is refused
/// (<c>SERVICE_ENTITLEMENT_EXHAUSTED</c>, nothing written). Both records are written with their
/// versions checked, so entries logged at once can't overdraw the entitlement. An entry's case and
/// hours don't change afterwards; deleting it gives its hours back.
/// </summary>
internal sealed class TimeEntryHooks(TimeProvider time) : IBeforeRecordHook
{
    private static readonly string[] Fixed = ["case", "hours", "entitlement", "at"];

    public string Entity => EntitlementEntities.TimeEntry;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Update)
        {
            if (Fixed.FirstOrDefault(record.IsChanging) is { } field)
            {
                throw new OperationException(ServiceErrors.StatusByOperation, $"A time entry's {field} is fixed once logged; delete the entry (its hours go back) and log another.", field);
            }

            return;
        }

        var create = record.Operation == RecordOperations.Create;
        if (create && record.IsDirect && (record.GetValue("entitlement") is not null || record.GetValue("at") is not null))
        {
            throw new OperationException(ServiceErrors.StatusByOperation, "A time entry's entitlement and time are set by the service module.", record.GetValue("entitlement") is not null ? "entitlement" : "at");
        }

        var records = record.PrivilegedRecords;
        var hours = record.GetValue("hours") as decimal? ?? 0m;
        var signed = create ? hours : -hours;
        var @case = await records.GetAsync(CaseEntity.Name, (Guid)record.GetValue("case")!, cancellationToken);
        if (@case is null)
        {
            return;
        }

        if (create && @case.GetValue<string>("status") == CaseLifecycle.Closed)
        {
            throw new OperationException(ServiceErrors.CaseClosed, $"Case {@case.GetValue<string>("number")} is closed.", "case");
        }

        var entitlementId = create ? @case.GetValue("entitlement") as Guid? : record.GetValue("entitlement") as Guid?;
        if (entitlementId is { } id && await records.GetAsync(EntitlementEntities.Entitlement, id, cancellationToken) is { } entitlement && entitlement.GetValue<string>("unit") == "hours")
        {
            if (create && EntitlementCheck.Left(entitlement) < hours)
            {
                throw new OperationException(ServiceErrors.EntitlementExhausted, $"{entitlement.GetValue<string>("name")} has {EntitlementCheck.Left(entitlement):0.##} hours left; {hours:0.##} were logged.", "hours");
            }

            await Writes.RequireAsync(records.UpdateAsync(EntitlementEntities.Entitlement, id, new FieldValues { ["used"] = EntitlementCheck.Used(entitlement) + signed }, entitlement.Version, cancellationToken), "entitlement");
            if (create)
            {
                record.SetValue("entitlement", id);
            }
        }

        if (create)
        {
            record.SetValue("at", time.GetUtcNow().UtcDateTime);
        }

        await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues { ["hoursLogged"] = (@case.GetValue<decimal?>("hoursLogged") ?? 0m) + signed }, @case.Version, cancellationToken), "case");
    }
}
