using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.FieldService;

/// <summary>
/// A work order is opened from a case (its account and product unless told) and moved by dispatch and
/// the visit alone; a closed case takes no new work orders.
/// </summary>
internal sealed class WorkOrderHooks : IBeforeRecordHook
{
    private static readonly ManagedFields Managed = new(FieldServiceEntities.Kept, new Dictionary<string, object> { ["status"] = FieldServiceEntities.New });

    public string Entity => FieldServiceEntities.WorkOrder;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (Managed.WrittenDirectly(record) is { } field)
        {
            throw new OperationException(ServiceErrors.StatusByOperation, $"A work order's {field} is set by dispatchWorkOrder, checkInWorkOrder and checkOutWorkOrder.", field);
        }

        if (record.Operation == RecordOperations.Update && record.IsChanging("case"))
        {
            throw new OperationException(ServiceErrors.InvalidInput, "A work order stays on its case.", "case");
        }

        if (record.Operation != RecordOperations.Create || await record.PrivilegedRecords.GetAsync(CaseEntity.Name, (Guid)record.GetValue("case")!, cancellationToken) is not { } @case)
        {
            return;
        }

        if (@case.GetValue<string>("status") == CaseLifecycle.Closed)
        {
            throw new OperationException(ServiceErrors.CaseClosed, $"Case {@case.GetValue<string>("number")} is closed.", "case");
        }

        foreach (var from in (ReadOnlySpan<string>)["account", "product"])
        {
            if (record.GetValue(from) is null && @case.GetValue(from) is Guid id)
            {
                record.SetValue(from, id);
            }
        }
    }
}

/// <summary>Parts are recorded while a work order is open; a completed one's parts are in its report and stay as they are.</summary>
internal sealed class WorkOrderPartHooks : IBeforeRecordHook
{
    public string Entity => FieldServiceEntities.Part;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Update && record.IsChanging("workOrder"))
        {
            throw new OperationException(ServiceErrors.InvalidInput, "A part stays on its work order.", "workOrder");
        }

        if (record.GetValue("workOrder") is Guid id && await record.PrivilegedRecords.GetAsync(FieldServiceEntities.WorkOrder, id, cancellationToken) is { } order
            && order.GetValue<string>("status") == FieldServiceEntities.Completed)
        {
            throw new OperationException(ServiceErrors.WorkOrderDone, $"Work order {order.GetValue<string>("number")} is completed; its parts are in its report.", "workOrder");
        }
    }
}
