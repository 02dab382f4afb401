using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Reports.Storage;
using CrmEngine.Reports.Subscriptions;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Reports.Api;

/// <summary>
/// Scheduled deliveries of reports by e-mail: <c>reportSubscriptions</c>; <c>saveReportSubscription</c>,
/// <c>deleteReportSubscription</c>. Part of the reports' contribution.
/// </summary>
internal sealed class SubscriptionsContributor(SubscriptionService subscriptions)
{
    public const string SubscriptionType = "ReportSubscription";

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var format = new EnumerationGraphType<ReportFormat> { Name = "ReportFormat", Description = "An attachment's format: CSV (UTF-8 with a byte order mark) or XLSX (one sheet)." };
        var frequency = new EnumerationGraphType<DeliveryFrequency> { Name = "ReportDeliveryFrequency", Description = "DAILY, WEEKLY (on weekdays) or MONTHLY (on a day of the month; the 31st is a short month's last day)." };
        var weekday = new EnumerationGraphType<DayOfWeek> { Name = "ReportWeekday", Description = "A day of the week." };
        var outcome = new EnumerationGraphType<DeliveryOutcome> { Name = "ReportDeliveryOutcome", Description = "SENT, SKIPPED (no rows, and only reports with rows are sent), PARTLY_SENT or FAILED (see lastError)." };
        var schedule = SharedTypes.SourceObject("ReportDeliverySchedule", "When a report is delivered: at a local time of day in a time zone, daily, on weekdays, or on a day of the month.",
            ("frequency", SharedTypes.NonNull(frequency), s => ((DeliverySchedule)s).Frequency),
            ("at", SharedTypes.NonNull(types.String), s => ((DeliverySchedule)s).At.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
            ("timeZone", SharedTypes.NonNull(types.String), s => ((DeliverySchedule)s).TimeZone),
            ("weekdays", SharedTypes.NonNull(SharedTypes.ListOf(weekday)), s => ((DeliverySchedule)s).Weekdays ?? []),
            ("dayOfMonth", types.Int, s => ((DeliverySchedule)s).DayOfMonth));
        var subscription = SharedTypes.SourceObject(SubscriptionType, "A saved report delivered by e-mail on a schedule, with its attachments; its subscriber's (docs/reports.md#scheduled-delivery).",
            ("id", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(SubscriptionType, S(s).Id)),
            ("reportId", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(ReportGraphTypes.ReportType, S(s).ReportId)),
            ("subscriberId", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(GlobalId.UserType, S(s).SubscriberId)),
            ("users", SharedTypes.NonNull(SharedTypes.ListOf(types.Id)), s => DeliveryRecipients.Read(S(s).Recipients).Users.Select(u => GlobalId.Encode(GlobalId.UserType, u)).ToList()),
            ("emails", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), s => DeliveryRecipients.Read(S(s).Recipients).Emails),
            ("formats", SharedTypes.NonNull(SharedTypes.ListOf(format)), s => DeliveryRecipients.ReadFormats(S(s).Formats)),
            ("schedule", SharedTypes.NonNull(schedule), s => DeliverySchedule.Read(S(s).Schedule)),
            ("onlyWhenRows", SharedTypes.NonNull(types.Boolean), s => S(s).OnlyWhenRows),
            ("active", SharedTypes.NonNull(types.Boolean), s => S(s).Active),
            ("nextRunAt", types.DateTime, s => Utc(S(s).NextRunAt)),
            ("lastRunAt", types.DateTime, s => Utc(S(s).LastRunAt)),
            ("lastOutcome", outcome, s => S(s).LastOutcome is { } last ? Enum.Parse<DeliveryOutcome>(last) : null),
            ("lastError", types.String, s => S(s).LastError),
            ("createdAt", SharedTypes.NonNull(types.DateTime), s => Utc(S(s).CreatedAt)),
            ("updatedAt", SharedTypes.NonNull(types.DateTime), s => Utc(S(s).UpdatedAt)));
        var scheduleInput = SharedTypes.Input("ReportDeliveryScheduleInput", "at: HH:mm, local to timeZone (the engine's Crm:TimeZone when left out). weekdays: WEEKLY only; dayOfMonth (1-31): MONTHLY only.",
            ("frequency", SharedTypes.NonNull(frequency)), ("at", SharedTypes.NonNull(types.String)), ("timeZone", types.String),
            ("weekdays", SharedTypes.ListOf(weekday)), ("dayOfMonth", types.Int));
        var input = SharedTypes.Input("ReportSubscriptionInput", "A whole subscription (saving one replaces it): the report, its recipients (users get it with their own rights, addresses with yours), the formats and the schedule.",
            ("reportId", SharedTypes.NonNull(types.Id)), ("users", SharedTypes.ListOf(types.Id)), ("emails", SharedTypes.ListOf(types.String)),
            ("formats", SharedTypes.NonNull(SharedTypes.ListOf(format))), ("schedule", SharedTypes.NonNull(scheduleInput)),
            ("onlyWhenRows", types.Boolean), ("active", types.Boolean));
        var payload = SharedTypes.SourceObject("ReportSubscriptionPayload", "What the mutation did; userErrors say why it did nothing.",
            ("subscription", subscription, s => ((SubscriptionOutcome)s).Subscription),
            ("userErrors", types.UserErrors, s => ((SubscriptionOutcome)s).Errors));

        context.Query.AddField(new FieldType
        {
            Name = "reportSubscriptions",
            Description = "Your report subscriptions (admins: everyone's), of one report when named, oldest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(subscription)),
            Arguments = new QueryArguments(new QueryArgument(types.Id) { Name = "reportId" }),
            Resolver = Resolve.Async(async (c, crm) => await subscriptions.ListAsync(crm.Session,
                c.GetArgument<string?>("reportId") is { } report ? ReportsContributor.Id(report, ReportGraphTypes.ReportType, "reportId") : null, c.CancellationToken)),
        });
        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        ReportsContributor.Mutation(context, "saveReportSubscription", "Subscribes to a report you can run, or (with id) replaces one of your subscriptions; refused whole with typed errors, nothing saved.", payload,
            new QueryArguments(new QueryArgument(types.Id) { Name = "id" }, new QueryArgument(SharedTypes.NonNull(input)) { Name = "input" }),
            async (c, crm) =>
            {
                var existing = c.GetArgument<string?>("id") is null ? (Guid?)null : Id(c);
                return new SubscriptionOutcome(await subscriptions.SaveAsync(crm.Session, existing, Read(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken));
            },
            errors => new SubscriptionOutcome(Errors: errors));
        ReportsContributor.Mutation(context, "deleteReportSubscription", "Deletes one of your report subscriptions (admins: any).", payload, new QueryArguments(id),
            async (c, crm) => new SubscriptionOutcome(await subscriptions.DeleteAsync(crm.Session, Id(c), c.CancellationToken)),
            errors => new SubscriptionOutcome(Errors: errors));
    }

    private static SubscriptionInput Read(Dictionary<string, object?> input)
    {
        var schedule = (Dictionary<string, object?>)input["schedule"]!;
        return new SubscriptionInput(
            (string)input["reportId"]!,
            Strings(input, "users"),
            Strings(input, "emails"),
            (input["formats"] as IEnumerable<object?>)?.OfType<ReportFormat>().ToList() ?? [],
            (DeliveryFrequency)schedule["frequency"]!,
            (string)schedule["at"]!,
            schedule.GetValueOrDefault("timeZone") as string,
            (schedule.GetValueOrDefault("weekdays") as IEnumerable<object?>)?.OfType<DayOfWeek>().ToList() ?? [],
            schedule.GetValueOrDefault("dayOfMonth") as int?,
            input.GetValueOrDefault("onlyWhenRows") as bool? ?? false,
            input.GetValueOrDefault("active") as bool? ?? true);
    }

    private static List<string> Strings(Dictionary<string, object?> input, string member) =>
        (input.GetValueOrDefault(member) as IEnumerable<object?>)?.OfType<string>().ToList() ?? [];

    private static Guid Id(IResolveFieldContext context) => ReportsContributor.Id(context.GetArgument<string>("id"), SubscriptionType, "id");

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static ReportSubscriptionRow S(object source) => (ReportSubscriptionRow)source;
}

/// <summary>What a subscription mutation answers: the subscription, or the errors that stopped it.</summary>
internal sealed record SubscriptionOutcome(ReportSubscriptionRow? Subscription = null, IReadOnlyList<CrmError>? Errors = null)
{
    public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];
}
