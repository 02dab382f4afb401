using System.Globalization;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Service.Care;

/// <summary>
/// Proactive care (主动关怀): when a sales order is delivered, the account's owner gets a planned
/// follow-up (a sales activity of type task) to call the customer some days later, once per order
/// however often the order goes back and forth (the task names its order, and an order has one care
/// task at most).
/// </summary>
internal static class ProactiveCare
{
    /// <summary>The setting: how many days after delivery the care call is planned, or off.</summary>
    public const string AfterDelivery = "careTaskAfterDelivery";

    public const string Off = "off";

    public const string Activity = "activity";

    public const string Order = "order";

    public static void Declare(IPluginBuilder builder)
    {
        builder.ExtendEntity(Activity, e => e
            .Lookup("careForOrder", Order, f => f.Label("Care after delivery of", "交付后关怀订单")
                .Description("The delivered order this care call follows up (one per order).", "此关怀回访所跟进的已交付订单（每个订单一条）。").Unique().Inverse("careTasks")));
        builder.Setting(AfterDelivery, SettingType.Picklist, s => s
            .Label("Care call after delivery", "交付后关怀回访")
            .Description("When an order is delivered, plan a care call for the account's owner this many days later.", "订单交付后，为客户负责人安排在此天数后进行关怀回访。")
            .Option(Off, "Off", "不安排").Option("0", "On the day", "当天").Option("1", "After 1 day", "1 天后").Option("3", "After 3 days", "3 天后")
            .Option("7", "After 7 days", "7 天后").Option("14", "After 14 days", "14 天后").Option("30", "After 30 days", "30 天后")
            .Default("7"));
    }
}

/// <summary>
/// An order that becomes delivered gets its care task in the order's own transaction, so the task
/// exists exactly when the delivery is written; delivering it again later finds the task and adds none.
/// </summary>
internal sealed class CareTaskOnDelivery(TimeProvider time) : IBeforeRecordHook
{
    public string Entity => ProactiveCare.Order;

    public RecordOperations Operations => RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsChanging("status") || record.GetValue("status") as string != "delivered" || record.GetPreviousValue("status") as string == "delivered")
        {
            return;
        }

        var delay = await record.Settings.GetAsync<string>(ProactiveCare.AfterDelivery, cancellationToken);
        var records = record.PrivilegedRecords;
        if (delay is null or ProactiveCare.Off
            || record.GetValue("account") is not Guid accountId
            || await records.GetAsync("account", accountId, cancellationToken) is not { } account
            || (await records.FindAsync(ProactiveCare.Activity, Condition.Eq("careForOrder", record.RecordId), 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var number = record.GetValue("number") as string;
        await Writes.RequireAsync(records.CreateAsync(ProactiveCare.Activity, new FieldValues
        {
            ["subject"] = $"Care call after delivery of order {number} / 订单 {number} 交付后关怀回访",
            ["type"] = "task",
            ["status"] = "planned",
            ["occurredAt"] = now.AddDays(int.Parse(delay, CultureInfo.InvariantCulture)),
            ["notes"] = $"Order {number} was delivered on {now:yyyy-MM-dd}: ask whether everything arrived and works, and whether they need help. / 订单已于 {now:yyyy-MM-dd} 交付：询问是否收到、使用是否正常、是否需要协助。",
            ["account"] = accountId,
            ["contact"] = record.GetValue("contact"),
            ["careForOrder"] = record.RecordId,
            ["ownerId"] = account.OwnerId,
        }, cancellationToken), "status");
    }
}
