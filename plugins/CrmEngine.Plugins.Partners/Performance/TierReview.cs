using System.Globalization;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary>
/// The tier review (级别评审): each partner's score for a period sets the tier it has earned (the
/// tenant's thresholds). A partner above its tier is upgraded at once; one below it is warned and
/// downgraded only when a review finds it still below after the grace period (tierGraceDays) from
/// the warning; one back at its tier recovers. Each decision is recorded once per partner, period and
/// kind (a unique key), and written before the partner changes, so a review run twice, or on two
/// hosts at once, decides nothing twice: the second writer's record is refused and it moves on.
/// </summary>
internal static class TierReview
{
    private static readonly string[] Order = ["registered", "silver", "gold", "platinum"];

    /// <summary>Reviews every partner for <paramref name="period"/> as of <paramref name="today"/>; returns the decisions recorded.</summary>
    public static async Task<int> ReviewAsync(IRecordApi records, IPluginSettings settings, Period period, DateOnly today, CancellationToken cancellationToken)
    {
        var thresholds = new List<(string Tier, decimal Score)>();
        foreach (var (setting, tier, _, _, _) in PerformanceEntities.Thresholds)
        {
            thresholds.Add((tier, await settings.GetAsync<long>(setting, cancellationToken)));
        }

        var grace = (int)await settings.GetAsync<long>(PerformanceEntities.GraceDays, cancellationToken);
        var decided = 0;
        foreach (var score in await Scorecard.ComputeAsync(records, settings, period, cancellationToken))
        {
            var partner = score.Partner;
            var current = partner.GetValue<string>("tier") ?? "registered";
            var earned = thresholds.FirstOrDefault(t => score.Score >= t.Score).Tier ?? "registered";
            var pendingSince = partner.GetValue<DateOnly?>("downgradePendingSince");
            var s = score.Score.ToString("0.00", CultureInfo.InvariantCulture);
            var (kind, to, reason, pending) = Array.IndexOf(Order, earned).CompareTo(Array.IndexOf(Order, current)) switch
            {
                > 0 => ("upgrade", earned, $"Score {s} earns {earned} in {period.Name}.", (DateOnly?)null),
                < 0 when pendingSince is { } since && since.AddDays(grace) <= today => ("downgrade", earned, $"Score {s} in {period.Name} is still below {current} after the grace period that began {since:yyyy-MM-dd}.", null),
                < 0 when pendingSince is null => ("warning", current, $"Score {s} in {period.Name} earns {earned}; downgrade on {today.AddDays(grace):yyyy-MM-dd} unless a review finds it back.", today),
                0 when pendingSince is not null => ("recovered", current, $"Score {s} in {period.Name} keeps {current}.", null),
                _ => (null, current, null, pendingSince),
            };
            if (kind is null)
            {
                continue;
            }

            var outcome = await records.CreateAsync(PerformanceEntities.TierChange, new FieldValues
            {
                ["partner"] = partner.Id, ["period"] = period.Name, ["kind"] = kind, ["fromTier"] = current, ["toTier"] = to,
                ["score"] = score.Score, ["reason"] = reason, ["reviewedOn"] = today, ["key"] = $"{partner.Id:N}:{period.Name}:{kind}",
            }, cancellationToken);
            if (!outcome.Succeeded)
            {
                if (outcome.Errors[0].Code == "UNIQUE_VIOLATION")
                {
                    continue; // decided already, by an earlier run or another host
                }

                throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, "period");
            }

            await Writes.RequireAsync(records.UpdateAsync(PartnerEntities.Partner, partner.Id, new FieldValues { ["tier"] = to, ["score"] = score.Score, ["downgradePendingSince"] = pending }, partner.Version, cancellationToken));
            decided++;
        }

        return decided;
    }
}

/// <summary>On the first day of each quarter (10:00 China time) the previous quarter is reviewed.</summary>
internal sealed class TierReviewJob : IScheduledJob
{
    public string Name => "review-partner-tiers";

    public string Cron => "0 2 1 1,4,7,10 *";

    public Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var today = PartnerSettings.Today(context.ScheduledAt);
        var quarterStart = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1).AddMonths(-3);
        var period = Period.Parse($"{quarterStart.Year}-Q{((quarterStart.Month - 1) / 3) + 1}", "period");
        return TierReview.ReviewAsync(context.Records, context.Settings, period, today, cancellationToken);
    }
}

/// <summary><c>reviewPartnerTiers(period, asOf)</c>: the quarterly review, now, for any period (channel managers and admins).</summary>
internal sealed class ReviewPartnerTiers : IPluginOperation
{
    public string Name => "reviewPartnerTiers";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Reviews every partner's tier on its score for a period (upgrade, downgrade warning, downgrade after the grace period, recovery); returns the decisions recorded.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("period", TypeRef.String.NonNull()), new("asOf", TypeRef.Date, "The review's day (grace periods count to it); today when left out.")];

    public TypeRef Result => TypeRef.Int.NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        ChannelManagers.Require(context);
        var period = Period.Parse(context.Argument<string>("period"), "period");
        var today = Args.Date(context.Arguments, "asOf") ?? PartnerSettings.Today(DateTime.UtcNow);
        return await TierReview.ReviewAsync(context.PrivilegedRecords, context.Settings, period, today, cancellationToken);
    }
}
