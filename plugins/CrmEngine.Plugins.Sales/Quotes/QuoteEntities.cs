using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Quotes;

/// <summary>报价单 and its lines: a priced offer with discounts, tax, computed totals and revisions.</summary>
internal static class QuoteEntities
{
    public const string Quote = "quote";
    public const string QuoteLine = "quoteLine";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Quote, e => Totals(e
            .Label("Quote", "报价单")
            .Description("A priced offer. A new revision supersedes the last, so a customer never holds two inconsistent quotes.", "报价单。新版本替代旧版本，客户不会同时持有两份不一致的报价。")
            .AutoNumber("number", "QUO-{yyyy}-{0000}", f => f.Label("Number", "报价单号"))
            .Text("name", f => f.Label("Name", "报价名称").Required().MaxLength(200).Searchable())
            .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Required().Inverse("quotes"))
            .Lookup("contact", ContactEntity.Name, f => f.Label("Contact", "联系人").Inverse("quotes"))
            .Lookup("opportunity", OpportunityEntity.Name, f => f.Label("Opportunity", "商机").Inverse("quotes"))
            .Lookup("priceList", ProductEntities.PriceList, f => f.Label("Price list", "价格表").Inverse("quotes"))
            .Picklist("status", f => f.Label("Status", "状态")
                .Option("draft", "Draft", "草稿").Option("sent", "Sent", "已发送").Option("accepted", "Accepted", "已接受")
                .Option("rejected", "Rejected", "已拒绝").Option("superseded", "Superseded", "已被新版本替代").Default("draft").Indexed())
            .Integer("revision", f => f.Label("Revision", "版本").Range(1, null).Default("1"))
            .Lookup("previousRevision", Quote, f => f.Label("Revises", "上一版本").Inverse("laterRevisions"))
            .Date("validUntil", f => f.Label("Valid until", "有效期至"))
            .DateTime("acceptedAt", f => f.Label("Accepted", "接受时间"))
            .LongText("terms", f => f.Label("Terms", "条款"))
            .Attachment("document", f => f.Label("Documents", "报价文件"))));
        builder.Entity(QuoteLine, e => Line(e.Label("Quote line", "报价明细").Lookup("quote", Quote, f => f.Label("Quote", "报价单").Required().Inverse("lines"))));
    }

    /// <summary>The computed totals every quote and order carries.</summary>
    public static EntityBuilder Totals(EntityBuilder e) => e
        .Money("subtotal", f => f.Label("Amount before discount", "折前金额").Currency("CNY"))
        .Money("discountTotal", f => f.Label("Discount", "折扣金额").Currency("CNY"))
        .Money("taxTotal", f => f.Label("Tax", "税额").Currency("CNY"))
        .Money("total", f => f.Label("Total", "合计金额").Currency("CNY"));

    /// <summary>The fields every quote and order line has.</summary>
    public static EntityBuilder Line(EntityBuilder e) => e
        .Lookup("product", ProductEntities.Product, f => f.Label("Product", "产品"))
        .Text("description", f => f.Label("Description", "描述").MaxLength(500))
        .Decimal("quantity", f => f.Label("Quantity", "数量").Required().Range(0, null).Scale(4))
        .Money("unitPrice", f => f.Label("Unit price", "单价").Currency("CNY").Range(0, null))
        .Decimal("discountPercent", f => f.Label("Discount (%)", "折扣（%）").Range(0, 100).Scale(2).Default("0"))
        .Decimal("taxRate", f => f.Label("VAT rate (%)", "税率（%）").Range(0, 100).Scale(2))
        .Money("amount", f => f.Label("Amount", "金额").Currency("CNY"))
        .Money("discountAmount", f => f.Label("Discount", "折扣金额").Currency("CNY"))
        .Money("taxAmount", f => f.Label("Tax", "税额").Currency("CNY"))
        .Money("total", f => f.Label("Total", "小计").Currency("CNY"))
        .Integer("sortOrder", f => f.Label("Order", "排序"));
}
