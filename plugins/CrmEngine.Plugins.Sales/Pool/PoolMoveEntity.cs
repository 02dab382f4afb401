using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Pool;

/// <summary>
/// One move of an account in or out of the shared pool (公海): returned, claimed, released or
/// assigned. The record's owner is the rep the move concerns (who claimed it, who lost or released
/// it, who was given it); createdBy is who made the move (the system for scheduled returns).
/// </summary>
internal static class PoolMoveEntity
{
    public const string Name = "poolMove";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Account move", "客户流转记录")
        .Description("An account returned to, claimed from, released to or assigned from the shared pool; the owner is the rep concerned.", "客户退回公海、领取、释放或分配的记录；负责人为相关销售。")
        .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Required().Inverse("poolMoves"))
        .Picklist("action", f => f.Label("Move", "流转类型")
            .Option("returned", "Returned to the pool", "自动退回公海").Option("claimed", "Claimed", "领取")
            .Option("released", "Released", "释放到公海").Option("assigned", "Assigned", "分配").Required().Indexed())
        .Picklist("reason", f => f.Label("Reason", "原因").PoolReasons())
        .Text("note", f => f.Label("Note", "说明").MaxLength(500))
        .DateTime("at", f => f.Label("When", "时间").Required()));
}
