using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Sales.Pool;

/// <summary>
/// Every night at 02:00 Beijing time, held accounts go back to the pool when their holder had no
/// follow-up for poolNoFollowUpDays, or no deal progress for poolNoDealDays (measured from when they
/// took it, at the latest); active and loyal customers are exempt. Each return records why. The job
/// is idempotent: an account already in the pool is left alone, and each move checks the version
/// it read, so a rerun (or a second host) returns nothing twice.
/// </summary>
internal sealed class PoolReturnJob : IScheduledJob
{
    public string Name => "pool-return";

    public string Cron => "0 18 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        if (settings.PoolNoFollowUpDays <= 0 && settings.PoolNoDealDays <= 0)
        {
            return;
        }

        var now = context.ScheduledAt;
        var candidates = new List<CrmRecord>();
        var held = Condition.Ne("inPool", true).And(Condition.NotIn("lifecycleStage", ["active", "loyal"]));
        await foreach (var account in context.Records.QueryAllAsync(AccountEntity.Name, held, cancellationToken: cancellationToken))
        {
            candidates.Add(account);
        }

        foreach (var account in candidates)
        {
            if (Why(account, settings, now) is not { } reason)
            {
                continue;
            }

            var holder = account.OwnerId ?? context.Directory.SystemUserId;
            var note = reason.Code == "noFollowUp"
                ? $"{reason.Days} 天未跟进，自动退回公海 ({reason.Days} days without follow-up)"
                : $"{reason.Days} 天商机无进展，自动退回公海 ({reason.Days} days without deal progress)";
            try
            {
                await PoolRules.MoveAsync(context.Records, account, PoolRules.ToPool(context.Directory.SystemUserId, reason.Code, now), "returned", holder, reason.Code, note, now, cancellationToken);
            }
            catch (Sdk.Operations.OperationException)
            {
                // Changed since it was read (a follow-up just came in, or another run moved it): leave it.
                continue;
            }

            if (holder != context.Directory.SystemUserId)
            {
                await context.Notifications.NotifyAsync(holder, $"客户「{account.GetValue<string>("name")}」{note}", AccountEntity.Name, account.Id, cancellationToken);
            }
        }
    }

    private static (string Code, int Days)? Why(CrmRecord account, SalesSettings settings, DateTime now)
    {
        var taken = new[] { account.GetValue("ownedSince") as DateTime?, account.CreatedAt }.Max()!.Value;
        var followUp = FollowUpReminders.LastContact(account);
        if (settings.PoolNoFollowUpDays > 0 && now - followUp >= TimeSpan.FromDays(settings.PoolNoFollowUpDays))
        {
            return ("noFollowUp", (int)(now - followUp).TotalDays);
        }

        var progress = new[] { account.GetValue("lastDealProgressAt") as DateTime?, taken }.Max()!.Value;
        if (settings.PoolNoDealDays > 0 && now - progress >= TimeSpan.FromDays(settings.PoolNoDealDays))
        {
            return ("noDealProgress", (int)(now - progress).TotalDays);
        }

        return null;
    }
}
