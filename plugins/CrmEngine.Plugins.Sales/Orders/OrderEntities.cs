using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Orders;

/// <summary>销售订单 and its lines: what the customer bought, with what has been received against it.</summary>
internal static class OrderEntities
{
    public const string Order = "order";
    public const string OrderLine = "orderLine";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Order, e => QuoteEntities.Totals(e
            .Label("Sales order", "销售订单")
            .Description("What the customer bought; usually created by accepting a quote.", "客户购买的内容，通常由接受报价生成。")
            .AutoNumber("number", "SO-{yyyy}-{0000}", f => f.Label("Number", "订单号"))
            .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Required().Inverse("orders"))
            .Lookup("contact", ContactEntity.Name, f => f.Label("Contact", "联系人").Inverse("orders"))
            .Lookup("opportunity", OpportunityEntity.Name, f => f.Label("Opportunity", "商机").Inverse("orders"))
            .Lookup("quote", QuoteEntities.Quote, f => f.Label("Quote", "报价单").Inverse("orders"))
            .Lookup("contract", "contract", f => f.Label("Contract", "合同").Inverse("orders"))
            .Date("orderDate", f => f.Label("Order date", "下单日期").Indexed())
            .Picklist("status", f => f.Label("Status", "状态")
                .Option("confirmed", "Confirmed", "已确认").Option("delivered", "Delivered", "已交付").Option("completed", "Completed", "已完成")
                .Option("cancelled", "Cancelled", "已取消").Default("confirmed").Indexed()))
            .Money("receivedAmount", f => f.Label("Received", "已回款").Currency("CNY"))
            .Money("outstandingAmount", f => f.Label("Outstanding", "未回款").Currency("CNY"))
            .Picklist("paymentStatus", f => f.Label("Payment status", "回款状态")
                .Option("unpaid", "Unpaid", "未回款").Option("partial", "Partly paid", "部分回款").Option("paid", "Paid", "已回清").Default("unpaid")));
        builder.Entity(OrderLine, e => QuoteEntities.Line(e.Label("Order line", "订单明细").Lookup("order", Order, f => f.Label("Order", "订单").Required().Inverse("lines"))));
    }
}
