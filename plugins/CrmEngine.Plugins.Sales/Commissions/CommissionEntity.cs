using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Commissions;

/// <summary>提成: a rep's share of a payment received; paid commissions are never rewritten, corrections become adjustments.</summary>
internal static class CommissionEntity
{
    public const string Name = "commission";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Commission", "提成")
        .Description("A rep's (the owner's) commission on a payment received.", "销售（负责人）就一笔回款获得的提成。")
        .Lookup("payment", PaymentEntities.Payment, f => f.Label("Payment", "回款").Inverse("commissions"))
        .Lookup("order", OrderEntities.Order, f => f.Label("Order", "订单").Inverse("commissions"))
        .Money("baseAmount", f => f.Label("Payment amount", "计提基数").Currency("CNY"))
        .Decimal("rate", f => f.Label("Effective rate (%)", "提成比例（%）").Scale(4))
        .Money("amount", f => f.Label("Commission", "提成金额").Currency("CNY"))
        .Picklist("kind", f => f.Label("Kind", "类型").Option("original", "Original", "原始").Option("adjustment", "Adjustment", "调整").Default("original"))
        .Picklist("status", f => f.Label("Status", "状态").Option("pending", "To be paid", "待发放").Option("paid", "Paid", "已发放").Default("pending").Indexed())
        .Text("note", f => f.Label("Note", "说明").MaxLength(500)));
}
