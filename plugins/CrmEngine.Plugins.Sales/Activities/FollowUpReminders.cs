using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Sales.Activities;

/// <summary>
/// Every morning at 09:00 Beijing time: owners of accounts not contacted for the tenant's
/// remindAfterDays are notified, once per quiet spell (until the account is contacted again); and
/// active or loyal customers without an order for atRiskAfterDays are marked at risk.
/// </summary>
internal sealed class FollowUpReminders : IScheduledJob
{
    public string Name => "follow-up-reminders";

    public string Cron => "0 1 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        var now = context.ScheduledAt;
        var held = new List<CrmRecord>();
        await foreach (var account in context.Records.QueryAllAsync(AccountEntity.Name, Condition.Ne("inPool", true), cancellationToken: cancellationToken))
        {
            held.Add(account);
        }

        foreach (var account in held)
        {
            var changes = new FieldValues();
            var lastContact = LastContact(account);
            if (settings.RemindAfterDays > 0 && account.OwnerId is { } owner && owner != context.Directory.SystemUserId
                && now - lastContact >= TimeSpan.FromDays(settings.RemindAfterDays)
                && (account.GetValue("idleRemindedAt") is not DateTime reminded || reminded < lastContact))
            {
                var days = (int)(now - lastContact).TotalDays;
                await context.Notifications.NotifyAsync(owner, $"客户「{account.GetValue<string>("name")}」已 {days} 天未跟进，请及时联系", AccountEntity.Name, account.Id, cancellationToken);
                changes["idleRemindedAt"] = now;
            }

            if (settings.AtRiskAfterDays > 0 && account.GetValue<string>("lifecycleStage") is "active" or "loyal"
                && account.GetValue("lastOrderOn") is DateOnly lastOrder
                && DateOnly.FromDateTime(now).DayNumber - lastOrder.DayNumber >= settings.AtRiskAfterDays)
            {
                changes["lifecycleStage"] = "atRisk";
            }

            if (changes.Count > 0)
            {
                await context.Records.UpdateAsync(AccountEntity.Name, account.Id, changes, account.Version, cancellationToken);
            }
        }
    }

    /// <summary>When the owner last had contact: the last follow-up, or when they took the account.</summary>
    public static DateTime LastContact(CrmRecord account) =>
        new[] { account.GetValue("lastFollowUpAt") as DateTime?, account.GetValue("ownedSince") as DateTime?, account.CreatedAt }.Max() ?? account.CreatedAt;
}
