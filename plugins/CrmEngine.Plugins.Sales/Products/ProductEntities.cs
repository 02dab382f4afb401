using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Products;

/// <summary>产品 and 价格表: what we sell, its list price, tax rate and commission rate, and price lists with their own prices.</summary>
internal static class ProductEntities
{
    public const string Product = "product";
    public const string PriceList = "priceList";
    public const string PriceListItem = "priceListItem";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Product, e => e
            .Label("Product", "产品")
            .Description("Something we sell, with its list price.", "我们销售的产品及其标准价格。")
            .Text("name", f => f.Label("Name", "产品名称").Required().MaxLength(200).Searchable())
            .Text("code", f => f.Label("Code (SKU)", "产品编码").Unique().MaxLength(50))
            .Picklist("category", f => f.Label("Category", "产品类别")
                .Option("hardware", "Hardware", "硬件").Option("software", "Software", "软件").Option("service", "Service", "服务")
                .Option("subscription", "Subscription", "订阅").Option("other", "Other", "其他"))
            .Text("unit", f => f.Label("Unit", "单位").MaxLength(20).Default("件"))
            .Money("listPrice", f => f.Label("List price", "标准价格").Required().Currency("CNY").Range(0, null))
            .Decimal("taxRate", f => f.Label("VAT rate (%)", "增值税率（%）").Range(0, 100).Scale(2).Default("13"))
            .Decimal("commissionRate", f => f.Label("Commission rate (%)", "提成比例（%）").Range(0, 100).Scale(4))
            .Boolean("active", f => f.Label("On sale", "在售").Default("true"))
            .LongText("description", f => f.Label("Description", "描述")));
        builder.Entity(PriceList, e => e
            .Label("Price list", "价格表")
            .Description("Prices for a market, channel or customer group.", "面向某市场、渠道或客户群的价格。")
            .Text("name", f => f.Label("Name", "名称").Required().Unique().MaxLength(100))
            .Boolean("active", f => f.Label("Active", "启用").Default("true"))
            .Date("validFrom", f => f.Label("Valid from", "生效日期"))
            .Date("validTo", f => f.Label("Valid to", "失效日期")));
        builder.Entity(PriceListItem, e => e
            .Label("Price list item", "价格表明细")
            .Lookup("priceList", PriceList, f => f.Label("Price list", "价格表").Required().Inverse("items"))
            .Lookup("product", Product, f => f.Label("Product", "产品").Required().Inverse("priceListItems"))
            .Money("unitPrice", f => f.Label("Unit price", "单价").Required().Currency("CNY").Range(0, null)));
    }
}

/// <summary>A product appears once in a price list.</summary>
internal sealed class PriceListItemGuard : IRecordValidator
{
    public string Entity => ProductEntities.PriceListItem;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var same = Condition.All(Condition.Eq("priceList", record.GetValue("priceList")), Condition.Eq("product", record.GetValue("product")), Condition.Ne("id", record.RecordId));
        if ((await record.Records.FindAsync(ProductEntities.PriceListItem, same, 1, cancellationToken)).Count > 0)
        {
            record.Reject("The price list already has a price for this product.", "product");
        }
    }
}
