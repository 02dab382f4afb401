using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Settings;

/// <summary>
/// A sales rep's profile: the user is the record's owner. Reps are who leads are assigned to and who
/// may claim pool accounts; the profile carries their territory, account quota and commission rate.
/// </summary>
internal static class SalesRepEntity
{
    public const string Name = "salesRep";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Sales rep", "销售人员")
        .Description("A user who sells: the record's owner. Leads are assigned to reps that accept leads.", "负责销售的用户（记录负责人即该用户）。线索只分配给接收线索的销售。")
        .Text("name", f => f.Label("Name", "姓名").MaxLength(100).Searchable())
        .Boolean("acceptsLeads", f => f.Label("Accepts new leads", "接收新线索").Default("true"))
        .Text("regions", f => f.Label("Territory (provinces or cities, comma-separated)", "负责区域（省市，逗号分隔）").MaxLength(500))
        .Integer("maxAccounts", f => f.Label("Accounts this rep may hold", "客户数上限").Range(0, 100000))
        .Decimal("commissionRate", f => f.Label("Commission rate (%)", "提成比例（%）").Range(0, 100).Scale(4)));
}

/// <summary>One profile per user, for an active user; the name defaults to the user's display name.</summary>
internal sealed class SalesRepGuard : IBeforeRecordHook
{
    public string Entity => SalesRepEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Update && !record.IsChanging("ownerId"))
        {
            return;
        }

        var owner = (Guid)record.GetValue("ownerId")!;
        var user = await record.Directory.GetUserAsync(owner, cancellationToken);
        if (user is null || !user.Active)
        {
            record.Reject("A sales rep profile must belong to an active user: set ownerId to the rep's user id.", "ownerId");
            return;
        }

        var others = await record.Records.FindAsync(SalesRepEntity.Name, Condition.Eq("ownerId", owner).And(Condition.Ne("id", record.RecordId)), 1, cancellationToken);
        if (others.Count > 0)
        {
            record.Reject($"{user.DisplayName} already has a sales rep profile.", "ownerId");
            return;
        }

        if (record.GetValue("name") is null)
        {
            record.SetValue("name", user.DisplayName);
        }
    }
}
