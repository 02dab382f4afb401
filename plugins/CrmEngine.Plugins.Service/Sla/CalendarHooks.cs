using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>A calendar's time zone must be one the host knows and its working day HH:mm to a later HH:mm; it works Monday to Friday unless told otherwise.</summary>
internal sealed class CalendarRules : IBeforeRecordHook
{
    public string Entity => SlaEntities.Calendar;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (Calendars.Zone(record.GetValue("timeZone") as string) is null)
        {
            throw new OperationException(ServiceErrors.InvalidTimeZone, $"'{record.GetValue("timeZone")}' is not a time zone this host knows (use an IANA name such as Asia/Shanghai).", "timeZone");
        }

        var (start, end) = (Calendars.Hour(record.GetValue("workdayStart") as string), Calendars.Hour(record.GetValue("workdayEnd") as string));
        if (start is null || end is null || end <= start)
        {
            throw new OperationException(ServiceErrors.InvalidHours, "Working hours are HH:mm, the start before the end (09:00 to 18:00; 00:00 to 24:00 round the clock).", start is null ? "workdayStart" : "workdayEnd");
        }

        if (record.Operation == RecordOperations.Create && record.GetValue("workingDays") is null or IReadOnlyList<string> { Count: 0 })
        {
            record.SetValue("workingDays", Calendars.DefaultWorkingDays);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A calendar holds one entry per date: a day can't be both a holiday and a make-up working day.</summary>
internal sealed class OneEntryPerDate : IRecordValidator
{
    public string Entity => SlaEntities.CalendarDay;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("calendar") is Guid calendar && record.GetValue("date") is DateOnly date
            && await Uniqueness.TakenAsync(record, Condition.Eq("calendar", calendar).And(Condition.Eq("date", date)), cancellationToken))
        {
            throw new OperationException(ServiceErrors.DuplicateDay, $"The calendar already has an entry for {date:yyyy-MM-dd}.", "date");
        }
    }
}

/// <summary>One active policy per priority, so a case's targets are never a matter of chance.</summary>
internal sealed class OneActivePolicyPerPriority : IRecordValidator
{
    public string Entity => SlaEntities.Policy;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("active") is not false && record.GetValue("priority") is string priority
            && await Uniqueness.TakenAsync(record, Condition.Eq("priority", priority).And(Condition.Eq("active", true)), cancellationToken))
        {
            throw new OperationException(ServiceErrors.DuplicatePolicy, $"An active SLA policy for {priority} cases exists already; deactivate it first.", "priority");
        }
    }
}

/// <summary>Whether another record of the written entity (whoever may see it) matches what must be unique.</summary>
internal static class Uniqueness
{
    public static async Task<bool> TakenAsync(IRecordContext record, Condition same, CancellationToken cancellationToken) =>
        (await record.PrivilegedRecords.FindAsync(record.Entity, same, 2, cancellationToken)).Any(r => r.Id != record.RecordId);
}
