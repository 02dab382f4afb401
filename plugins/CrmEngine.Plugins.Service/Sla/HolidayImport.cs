using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Operations;
using Ical.Net;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// Reads the days off and make-up working days of an iCalendar file (.ics, as the public Chinese
/// holiday calendars publish them): every all-day event covers its days, from DTSTART up to DTEND
/// (exclusive; one day without DTEND). An event is a make-up working day (调休上班) when its summary
/// says 班 (上班, 补班) or "workday", or one of its categories is WORKDAY; any other is a holiday.
/// </summary>
internal static class HolidayFile
{
    /// <summary>More days than any real calendar lists, so a hostile file can't make the import run away.</summary>
    private const int MaxDays = 5000;

    public static IReadOnlyList<(DateOnly Date, string Kind, string Name)> Read(string ics)
    {
        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(ics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Invalid($"The file is not iCalendar: {e.Message}");
        }

        if (calendar is null || calendar.Events.Count == 0)
        {
            throw Invalid("The file has no events.");
        }

        var days = new Dictionary<DateOnly, (string Kind, string Name)>();
        foreach (var e in calendar.Events)
        {
            if (e.DtStart is null || e.DtStart.HasTime)
            {
                throw Invalid($"Event '{e.Summary}' is not an all-day event.");
            }

            var name = e.Summary?.Trim() ?? string.Empty;
            var kind = IsWorkday(name, e.Categories) ? "workday" : "holiday";
            var first = e.DtStart.Date;
            var end = e.DtEnd is { } dtEnd ? dtEnd.Date : first.AddDays(1);
            for (var day = first; day < end || day == first; day = day.AddDays(1))
            {
                if (days.Count >= MaxDays)
                {
                    throw Invalid($"The file lists more than {MaxDays} days.");
                }

                days[day] = (kind, name.Length > 200 ? name[..200] : name);
            }
        }

        return [.. days.OrderBy(d => d.Key).Select(d => (d.Key, d.Value.Kind, d.Value.Name))];
    }

    private static bool IsWorkday(string summary, IList<string> categories) =>
        summary.Contains('班', StringComparison.Ordinal) || summary.Contains("workday", StringComparison.OrdinalIgnoreCase)
        || categories.Any(c => c.Equals("WORKDAY", StringComparison.OrdinalIgnoreCase));

    private static OperationException Invalid(string message) => new(ServiceErrors.InvalidIcs, message, "ics");
}

/// <summary><c>importServiceHolidays(calendar, ics)</c>: puts the days of an iCalendar file on a service calendar.</summary>
internal sealed class ImportServiceHolidays : IPluginOperation
{
    public string Name => "importServiceHolidays";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Imports the holidays and make-up working days (调休) of an iCalendar file into a service calendar; a date the calendar lists already takes the file's kind and name.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
        [new("calendar", TypeRef.Id.NonNull()), new("ics", TypeRef.String.NonNull(), "The .ics file's text: all-day events; 班/补班/workday in the summary or a WORKDAY category marks a make-up working day.")];

    public TypeRef Result => TypeRef.Object("ServiceHolidayImport", new FieldRef("holidays", TypeRef.Int.NonNull()), new FieldRef("workdays", TypeRef.Int.NonNull()));

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var calendar = await Writes.ExistingAsync(context, SlaEntities.Calendar, "calendar", cancellationToken);
        var days = HolidayFile.Read(context.Argument<string>("ics") ?? string.Empty);
        var existing = new Dictionary<DateOnly, Guid>();
        await foreach (var day in context.Records.QueryAllAsync(SlaEntities.CalendarDay, Condition.Eq("calendar", calendar.Id), cancellationToken: cancellationToken))
        {
            existing[day.GetValue<DateOnly>("date")] = day.Id;
        }

        foreach (var (date, kind, name) in days)
        {
            var values = new FieldValues { ["calendar"] = calendar.Id, ["date"] = date, ["kind"] = kind, ["name"] = name };
            await Writes.RequireAsync(existing.TryGetValue(date, out var id)
                ? context.Records.UpdateAsync(SlaEntities.CalendarDay, id, values, cancellationToken: cancellationToken)
                : context.Records.CreateAsync(SlaEntities.CalendarDay, values, cancellationToken), "ics");
        }

        return new Dictionary<string, object?> { ["holidays"] = days.Count(d => d.Kind == "holiday"), ["workdays"] = days.Count(d => d.Kind == "workday") };
    }
}
