using System.Globalization;
using System.Text;
using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.FieldService;

/// <summary><c>checkInWorkOrder(id)</c>: the technician is on site (a scheduled work order goes in progress).</summary>
internal sealed class CheckInWorkOrder(TimeProvider time) : IPluginOperation
{
    public string Name => "checkInWorkOrder";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Checks the technician in on site: a scheduled work order goes in progress, with the time.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Entity(FieldServiceEntities.WorkOrder);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var order = await WorkOrderVisit.RequireAsync(context, FieldServiceEntities.Scheduled, cancellationToken);
        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(FieldServiceEntities.WorkOrder, order.Id, new FieldValues { ["status"] = FieldServiceEntities.InProgress, ["checkedInAt"] = time.GetUtcNow().UtcDateTime }, order.Version, cancellationToken));
        return await context.Records.GetAsync(FieldServiceEntities.WorkOrder, order.Id, cancellationToken);
    }
}

/// <summary>
/// <c>checkOutWorkOrder(id, workDone)</c>: the technician leaves; the work order is completed and its
/// service report written (case, customer, technician, slot, time on site, parts, work done).
/// </summary>
internal sealed class CheckOutWorkOrder(TimeProvider time) : IPluginOperation
{
    public string Name => "checkOutWorkOrder";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Checks the technician out: the work order is completed with what was done, and its service report is written.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull()), new("workDone", TypeRef.String.NonNull(), "What the technician did.")];

    public TypeRef Result => TypeRef.Entity(FieldServiceEntities.WorkOrder);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var workDone = context.Argument<string>("workDone")?.Trim();
        if (string.IsNullOrEmpty(workDone))
        {
            throw new OperationException(ServiceErrors.InvalidInput, "Say what was done on site.", "workDone");
        }

        var order = await WorkOrderVisit.RequireAsync(context, FieldServiceEntities.InProgress, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var report = await WorkOrderVisit.ReportAsync(context.PrivilegedRecords, order, now, workDone, cancellationToken);
        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(FieldServiceEntities.WorkOrder, order.Id, new FieldValues
        {
            ["status"] = FieldServiceEntities.Completed, ["checkedOutAt"] = now, ["workDone"] = workDone, ["serviceReport"] = report,
        }, order.Version, cancellationToken));
        return await context.Records.GetAsync(FieldServiceEntities.WorkOrder, order.Id, cancellationToken);
    }
}

/// <summary>What check-in and check-out share: the work order in the status they need, and the report.</summary>
internal static class WorkOrderVisit
{
    public static async Task<CrmRecord> RequireAsync(IOperationContext context, string status, CancellationToken cancellationToken)
    {
        var order = await Writes.ExistingAsync(context, FieldServiceEntities.WorkOrder, "id", cancellationToken);
        if (order.GetValue<string>("status") != status)
        {
            throw new OperationException(ServiceErrors.InvalidTransition, $"Work order {order.GetValue<string>("number")} is {order.GetValue<string>("status")}, not {status}.", "id");
        }

        return order;
    }

    /// <summary>The service report (现场服务报告) as plain text, times in UTC.</summary>
    public static async Task<string> ReportAsync(IRecordApi records, CrmRecord order, DateTime checkedOut, string workDone, CancellationToken cancellationToken)
    {
        async Task<string?> Name(string entity, string lookup, string field) =>
            order.GetValue(lookup) is Guid id ? (await records.GetAsync(entity, id, cancellationToken))?.GetValue<string>(field) : null;
        var @case = (await records.GetAsync(CaseEntity.Name, order.GetValue<Guid>("case"), cancellationToken))!;
        var checkedIn = order.GetValue<DateTime>("checkedInAt");
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"现场服务报告 / Service report {order.GetValue<string>("number")}");
        text.AppendLine(c, $"服务请求 / Case: {@case.GetValue<string>("number")} {@case.GetValue<string>("subject")}");
        text.AppendLine(c, $"客户 / Account: {await Name("account", "account", "name") ?? "-"}");
        text.AppendLine(c, $"工程师 / Technician: {await Name(FieldServiceEntities.Technician, "technician", "name")}");
        text.AppendLine(c, $"预约 / Scheduled: {order.GetValue<DateTime>("scheduledStart"):yyyy-MM-dd HH:mm}–{order.GetValue<DateTime>("scheduledEnd"):HH:mm} UTC");
        text.AppendLine(c, $"到场 / On site: {checkedIn:yyyy-MM-dd HH:mm}–{checkedOut:HH:mm} UTC ({(long)(checkedOut - checkedIn).TotalMinutes} min)");
        text.AppendLine("备件 / Parts:");
        var parts = await records.FindAsync(FieldServiceEntities.Part, Condition.Eq("workOrder", order.Id), 500, cancellationToken);
        foreach (var part in parts)
        {
            var product = await records.GetAsync("product", part.GetValue<Guid>("product"), cancellationToken);
            text.AppendLine(c, $"- {product?.GetValue<string>("name")} × {part.GetValue<decimal>("quantity"):0.##}");
        }

        if (parts.Count == 0)
        {
            text.AppendLine("- 无 / none");
        }

        text.Append(c, $"处理结果 / Work done: {workDone}");
        return text.ToString();
    }
}
