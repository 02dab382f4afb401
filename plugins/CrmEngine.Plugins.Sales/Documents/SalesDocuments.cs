using System.Text.Json.Nodes;
using CrmEngine.Plugins.Sales.Contracts;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Sdk.Documents;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Documents;

/// <summary>
/// The sales module's documents: a quote (报价单) and a contract (合同) as PDFs through the engine's
/// generated documents, stored in the record's <c>document</c> field. Their default templates
/// ("sales.quote", "sales.contract", en and zh-CN) are saved the first time a tenant generates one;
/// an admin may replace them (saveDocumentTemplate), a replaced one is kept.
/// </summary>
internal static class SalesDocuments
{
    public const string Field = "document";
    public const string QuoteTemplate = "sales.quote";
    public const string ContractTemplate = "sales.contract";

    /// <summary>Generates the document of a record (seeding the default templates when the tenant has none); the file's name.</summary>
    public static async Task<string> GenerateAsync(IOperationContext context, string entity, Guid id, string template, CancellationToken cancellationToken)
    {
        var request = new DocumentRequest(template, entity, id) { Language = context.Arguments.GetValueOrDefault("language") as string };
        var outcome = await context.Documents.GenerateAsync(request, cancellationToken);
        if (outcome.Errors is [{ Code: "TEMPLATE_NOT_FOUND" }])
        {
            foreach (var defaults in Defaults(template))
            {
                if (await context.Documents.EnsureTemplateAsync(defaults, cancellationToken) is [var error, ..])
                {
                    throw new OperationException(error.Code, error.Message, error.Field);
                }
            }

            outcome = await context.Documents.GenerateAsync(request, cancellationToken);
        }

        return outcome switch
        {
            { Succeeded: true } => outcome.FileName!,
            _ => throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, outcome.Errors[0].Field is "recordId" ? "id" : outcome.Errors[0].Field),
        };
    }

    private static IEnumerable<DocumentTemplate> Defaults(string template) => template == QuoteTemplate
        ? [Quote("en", "Quote", "Customer", "Contact", "Valid until", "Product", "Quantity", "Unit price", "Discount (%)", "Amount", "Before discount", "Discount", "Tax", "Total"),
            Quote("zh-CN", "报价单", "客户", "联系人", "有效期至", "产品", "数量", "单价", "折扣（%）", "金额", "折前金额", "折扣金额", "税额", "合计金额")]
        : [Contract("en", "Contract", "Customer", "Quote", "Amount", "Starts", "Ends", "Signed on"),
            Contract("zh-CN", "合同", "客户", "报价单", "合同金额", "开始日期", "结束日期", "签订日期")];

    private static DocumentTemplate Quote(string language, string title, string customer, string contact, string validUntil, string product, string quantity, string unitPrice, string discount, string amount, string subtotal, string discountTotal, string tax, string total) =>
        new(QuoteTemplate, language, QuoteEntities.Quote, Field)
        {
            PdfLayout = new JsonObject
            {
                ["title"] = $"{title} {{{{number}}}}",
                ["fields"] = Labelled((customer, "{{account.name}}"), (contact, "{{contact.name}}"), (validUntil, "{{validUntil}}"), (title, "{{name}}")),
                ["table"] = new JsonObject
                {
                    ["lines"] = "lines",
                    ["columns"] = new JsonArray(
                        Column(product, "{{lines.product.name}}", 3, "left"), Column(quantity, "{{lines.quantity}}", 1, "right"),
                        Column(unitPrice, "{{lines.unitPrice}}", 1.5, "right"), Column(discount, "{{lines.discountPercent}}", 1, "right"),
                        Column(amount, "{{lines.total}}", 1.5, "right")),
                },
                ["totals"] = Labelled((subtotal, "{{subtotal}}"), (discountTotal, "{{discountTotal}}"), (tax, "{{taxTotal}}"), (total, "{{total}}")),
                ["footer"] = "{{terms}}",
            }.ToJsonString(),
        };

    private static DocumentTemplate Contract(string language, string title, string customer, string quote, string amount, string starts, string ends, string signed) =>
        new(ContractTemplate, language, ContractEntities.Contract, Field)
        {
            PdfLayout = new JsonObject
            {
                ["title"] = $"{title} {{{{number}}}}",
                ["fields"] = Labelled((title, "{{name}}"), (customer, "{{account.name}}"), (quote, "{{quote.number}}"), (starts, "{{startDate}}"), (ends, "{{endDate}}"), (signed, "{{signedOn}}")),
                ["totals"] = Labelled((amount, "{{amount}}")),
            }.ToJsonString(),
        };

    private static JsonArray Labelled(params (string Label, string Value)[] items) =>
        new([.. items.Select(i => (JsonNode)new JsonObject { ["label"] = i.Label, ["value"] = i.Value })]);

    private static JsonObject Column(string header, string value, double width, string align) =>
        new() { ["header"] = header, ["value"] = value, ["width"] = width, ["align"] = align };
}
