using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>Every night at 03:00 Beijing time the accounts' RFM scores are refreshed as of that day.</summary>
internal sealed class RfmJob : IScheduledJob
{
    public string Name => "rfm-scores";

    public string Cron => "0 19 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        await Rfm.RefreshAsync(context.Records, Periods.Today(context.ScheduledAt, settings.Zone), cancellationToken);
    }
}

/// <summary><c>refreshRfmScores</c>: an admin refreshes the RFM scores now (or as of a past day), without waiting for the night.</summary>
internal sealed class RefreshRfmScores : IPluginOperation
{
    public string Name => "refreshRfmScores";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Recomputes every account's RFM scores and segment (RFM 客户价值分析) from the orders of the 365 days up to asOf. Admins only.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("asOf", TypeRef.Date, "The day the window ends and recency is counted from; today (tenant time zone) when omitted."),
    ];

    public TypeRef Result => TypeRef.Object("RfmRefresh",
        new FieldRef("asOf", TypeRef.Date.NonNull()),
        new FieldRef("scored", TypeRef.Int.NonNull(), "Accounts whose scores were set or changed."),
        new FieldRef("cleared", TypeRef.Int.NonNull(), "Accounts that no longer ordered in the window and lost their scores.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        if (!context.Identity.IsAdmin)
        {
            throw new OperationException(SalesErrors.Forbidden, "Only an admin refreshes RFM scores; they are refreshed every night anyway.");
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var asOf = context.Argument<DateOnly?>("asOf") ?? Periods.Today(DateTime.UtcNow, settings.Zone);
        var (scored, cleared) = await Rfm.RefreshAsync(context.PrivilegedRecords, asOf, cancellationToken);
        return new Dictionary<string, object?> { ["asOf"] = asOf, ["scored"] = scored, ["cleared"] = cleared };
    }
}
