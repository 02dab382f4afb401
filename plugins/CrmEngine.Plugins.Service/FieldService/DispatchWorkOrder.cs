using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.FieldService;

/// <summary>
/// <c>dispatchWorkOrder(id, technicianId, start, minutes)</c>: books a technician for a work order's
/// slot (or moves its booking). The technician must be active, cover the work order's territory and
/// have its skills; the slot must lie inside their working hours (their calendar: holidays and make-up
/// days included) and overlap none of their other bookings. Two dispatches racing for the same
/// technician can't both book: the technician is read before the bookings are, and written with its
/// version checked, so the later of two that read the same version is refused (VERSION_CONFLICT) and
/// one that reads after the other committed sees its booking (SERVICE_DOUBLE_BOOKED), on SQLite and
/// PostgreSQL alike.
/// </summary>
internal sealed class DispatchWorkOrder(TimeProvider time) : IPluginOperation
{
    private static readonly object?[] Booked = [FieldServiceEntities.Scheduled, FieldServiceEntities.InProgress];

    public string Name => "dispatchWorkOrder";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Dispatches a work order to a technician for a slot (start, minutes): refused when the technician lacks its skills or territory, the slot is outside their working hours, or it overlaps another of their bookings.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull()),
        new("technicianId", TypeRef.Id.NonNull()),
        new("start", TypeRef.DateTime.NonNull(), "When the technician arrives."),
        new("minutes", TypeRef.Int.NonNull(), "How long the slot is (1 to 720)."),
    ];

    public TypeRef Result => TypeRef.Entity(FieldServiceEntities.WorkOrder);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var order = await Writes.ExistingAsync(context, FieldServiceEntities.WorkOrder, "id", cancellationToken);
        var technician = await Writes.ExistingAsync(context, FieldServiceEntities.Technician, "technicianId", cancellationToken);
        if (order.GetValue<string>("status") is not (FieldServiceEntities.New or FieldServiceEntities.Scheduled))
        {
            throw new OperationException(ServiceErrors.InvalidTransition, $"Work order {order.GetValue<string>("number")} is {order.GetValue<string>("status")}; only a new or scheduled one is dispatched.", "id");
        }

        var minutes = context.Argument<int?>("minutes") ?? 0;
        if (minutes is < 1 or > 720)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "A slot lasts 1 to 720 minutes.", "minutes");
        }

        var start = DateTime.SpecifyKind(context.Argument<DateTime>("start"), DateTimeKind.Utc);
        var end = start.AddMinutes(minutes);
        if (Unfit(order, technician) is { } why)
        {
            throw new OperationException(ServiceErrors.TechnicianUnfit, $"{technician.GetValue<string>("name")} {why}.", "technicianId");
        }

        var records = context.PrivilegedRecords;
        var calendar = await Calendars.LoadAsync(records, technician.GetValue<Guid>("calendar"), cancellationToken);
        if (calendar.Between(start, end) != end - start)
        {
            throw new OperationException(ServiceErrors.OutsideHours, $"{technician.GetValue<string>("name")} doesn't work all of {start:yyyy-MM-dd HH:mm}–{end:HH:mm} UTC.", "start");
        }

        var overlapping = await records.FindAsync(FieldServiceEntities.WorkOrder, Condition.All(
            Condition.Eq("technician", technician.Id), Condition.In("status", Booked), Condition.Lt("scheduledStart", end), Condition.Gt("scheduledEnd", start), Condition.Ne("id", order.Id)), 1, cancellationToken);
        if (overlapping.FirstOrNull() is { } other)
        {
            throw new OperationException(ServiceErrors.DoubleBooked, $"{technician.GetValue<string>("name")} is booked for work order {other.GetValue<string>("number")} from {other.GetValue<DateTime>("scheduledStart"):yyyy-MM-dd HH:mm} to {other.GetValue<DateTime>("scheduledEnd"):HH:mm} UTC.", "start");
        }

        await Writes.RequireAsync(records.UpdateAsync(FieldServiceEntities.Technician, technician.Id, new FieldValues { ["lastDispatchedAt"] = time.GetUtcNow().UtcDateTime }, technician.Version, cancellationToken), "technicianId");
        await Writes.RequireAsync(records.UpdateAsync(FieldServiceEntities.WorkOrder, order.Id, new FieldValues
        {
            ["technician"] = technician.Id, ["scheduledStart"] = start, ["scheduledEnd"] = end, ["status"] = FieldServiceEntities.Scheduled,
        }, order.Version, cancellationToken), "id");
        return await context.Records.GetAsync(FieldServiceEntities.WorkOrder, order.Id, cancellationToken);
    }

    /// <summary>Why the technician can't take the work order (inactive, another territory, missing skills); null when they can.</summary>
    private static string? Unfit(CrmRecord order, CrmRecord technician)
    {
        var missing = CaseRouter.Skills(order.GetValue<string>("requiredSkills")).Except(CaseRouter.Skills(technician.GetValue<string>("skills"))).Order(StringComparer.Ordinal).ToList();
        return technician.GetValue<bool?>("active") == false ? "is not active"
            : order.GetValue("territory") is Guid territory && technician.GetValue("territory") as Guid? != territory ? "works in another territory"
            : missing.Count > 0 ? "lacks " + string.Join(", ", missing)
            : null;
    }
}
