using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Payments;

/// <summary>回款计划 (one instalment of an order's payment plan) and 回款 (money received against an order).</summary>
internal static class PaymentEntities
{
    public const string Plan = "paymentPlan";
    public const string Payment = "payment";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Plan, e => e
            .Label("Payment plan instalment", "回款计划")
            .Description("One instalment expected for an order; received amounts fill instalments in due-date order.", "订单的一期应收款；回款按到期日先后冲抵各期。")
            .Lookup("order", OrderEntities.Order, f => f.Label("Order", "订单").Required().Inverse("paymentPlans"))
            .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Inverse("paymentPlans"))
            .Integer("instalment", f => f.Label("Instalment", "期数").Range(1, null))
            .Date("dueDate", f => f.Label("Due", "计划回款日期").Required().Indexed())
            .Money("amount", f => f.Label("Amount due", "计划回款金额").Required().Currency("CNY").Range(0, null))
            .Money("receivedAmount", f => f.Label("Received", "已回款").Currency("CNY"))
            .Money("outstandingAmount", f => f.Label("Outstanding", "未回款").Currency("CNY"))
            .Picklist("status", f => f.Label("Status", "状态").Option("pending", "Pending", "待回款").Option("partial", "Partly paid", "部分回款").Option("paid", "Paid", "已回款").Default("pending").Indexed())
            .Text("note", f => f.Label("Note", "备注").MaxLength(500)));
        builder.Entity(Payment, e => e
            .Label("Payment received", "回款")
            .Description("Money received against an order; commissions follow it.", "针对订单收到的款项；提成随之计算。")
            .Lookup("order", OrderEntities.Order, f => f.Label("Order", "订单").Required().Inverse("payments"))
            .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Inverse("payments"))
            .Money("amount", f => f.Label("Amount", "回款金额").Required().Currency("CNY").Range(0, null))
            .Date("receivedOn", f => f.Label("Received on", "回款日期").Required().Indexed())
            .Picklist("method", f => f.Label("Method", "付款方式")
                .Option("bankTransfer", "Bank transfer", "银行转账").Option("cash", "Cash", "现金").Option("alipay", "Alipay", "支付宝")
                .Option("wechatPay", "WeChat Pay", "微信支付").Option("check", "Cheque", "支票").Option("acceptanceBill", "Bank acceptance bill", "承兑汇票").Option("other", "Other", "其他").Default("bankTransfer"))
            .Text("reference", f => f.Label("Reference", "流水号").MaxLength(100))
            .Text("note", f => f.Label("Note", "备注").MaxLength(500)));
    }
}
