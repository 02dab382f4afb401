using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// <c>lifecycleTransitions</c> (客户生命周期流转): how many accounts moved from one lifecycle stage to
/// another (prospect → contacted → converted → active → loyal, atRisk, lost) in each month, quarter or
/// year, read from the accounts' audit trail through the SDK's field history, so it is right for every
/// change ever made (not only for those after a counter was added) and follows the caller's row
/// rights. An account created in a stage counts as a move from null (new) into it.
/// </summary>
internal sealed class LifecycleTransitions : IPluginOperation
{
    private const string Stage = "lifecycleStage";

    private static readonly TypeRef Matrix = TypeRef.ListOf(TypeRef.Object("LifecycleTransition",
        new FieldRef("from", TypeRef.String, "The stage left (an option's API name); null for a new account."),
        new FieldRef("to", TypeRef.String, "The stage entered; null when the stage was cleared."),
        new FieldRef("count", TypeRef.Int.NonNull()))).NonNull();

    public string Name => "lifecycleTransitions";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Accounts' lifecycle stage changes (客户生命周期流转) counted per period as a from → to matrix, from the audit trail.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("period", TypeRef.Enum("StatisticsPeriod", "MONTH", "QUARTER", "YEAR"), "The periods (default MONTH)."),
        new("from", TypeRef.Date, "A day in the first period (default: today)."),
        new("to", TypeRef.Date, "A day in the last period (default: the period of `from`)."),
    ];

    public TypeRef Result => TypeRef.Object("LifecycleTransitions",
        new FieldRef("periods", TypeRef.ListOf(TypeRef.Object("LifecyclePeriod",
            new FieldRef("period", TypeRef.String.NonNull()),
            new FieldRef("start", TypeRef.Date.NonNull()),
            new FieldRef("transitions", Matrix, "Moves in the period, by from then to."))).NonNull(), "Every period of the range, oldest first, empty ones too."),
        new FieldRef("total", Matrix, "Moves over the whole range.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var period = context.Argument<string>("period") ?? "MONTH";
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var (first, end) = Periods.Range(context, period, settings.Zone, 1);
        var counts = new Dictionary<DateOnly, Dictionary<(string? From, string? To), int>>();
        await foreach (var change in context.Records.FieldChangesAsync(AccountEntity.Name, Stage, Periods.StartOf(first, settings.Zone), Periods.StartOf(end, settings.Zone), cancellationToken))
        {
            if (change.Old == change.New)
            {
                continue;
            }

            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(change.At, settings.Zone));
            var key = Periods.Start(period, day);
            if (!counts.TryGetValue(key, out var cell))
            {
                cell = [];
                counts[key] = cell;
            }

            cell[(change.Old, change.New)] = cell.GetValueOrDefault((change.Old, change.New)) + 1;
        }

        var periods = new List<Dictionary<string, object?>>();
        for (var start = first; start < end; start = Periods.Next(period, start))
        {
            periods.Add(new Dictionary<string, object?>
            {
                ["period"] = Periods.Label(period, start),
                ["start"] = start,
                ["transitions"] = Rows(counts.GetValueOrDefault(start) ?? []),
            });
        }

        var total = counts.Values.SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        return new Dictionary<string, object?> { ["periods"] = periods, ["total"] = Rows(total) };
    }

    private static List<Dictionary<string, object?>> Rows(Dictionary<(string? From, string? To), int> cells) =>
        cells.OrderBy(c => c.Key.From, StringComparer.Ordinal).ThenBy(c => c.Key.To, StringComparer.Ordinal)
            .Select(c => new Dictionary<string, object?> { ["from"] = c.Key.From, ["to"] = c.Key.To, ["count"] = c.Value }).ToList();
}
