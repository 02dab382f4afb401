using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Files;
using CrmEngine.Host.Tests.Support;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Documents;

/// <summary>
/// What the documents tests build on: a tenant with customers (with a language), quotes (number,
/// customer, total, valid-until date, a document attachment field) and quote lines (the quote's
/// inverse list "lines"), templates saved as an admin saves them, and documents read back.
/// </summary>
internal static class Quotes
{
    public const string Generate = "mutation($input: GenerateDocumentInput!) { generateDocument(input: $input) { file { id name contentType size url } userErrors { code field } } }";

    public const string SaveTemplate = "mutation($input: DocumentTemplateInput!, $file: Upload) { saveDocumentTemplate(input: $input, file: $file) { template { name language entity field format size } userErrors { code field } } }";

    /// <summary>A PDF layout with the header fields, line table and totals of a quote, in one language.</summary>
    public static string Layout(string title, string customer, string product, string quantity, string amount, string total) => new JsonObject
    {
        ["title"] = title + " {{number}}",
        ["fields"] = new JsonArray(new JsonObject { ["label"] = customer, ["value"] = "{{customer.name}}" }, new JsonObject { ["label"] = "{{number}}", ["value"] = "{{validUntil}}" }),
        ["table"] = new JsonObject
        {
            ["lines"] = "lines",
            ["columns"] = new JsonArray(
                new JsonObject { ["header"] = product, ["value"] = "{{lines.product}}", ["width"] = 3 },
                new JsonObject { ["header"] = quantity, ["value"] = "{{lines.quantity}}", ["align"] = "right" },
                new JsonObject { ["header"] = amount, ["value"] = "{{lines.amount}}", ["width"] = 2, ["align"] = "right" }),
        },
        ["totals"] = new JsonArray(new JsonObject { ["label"] = total, ["value"] = "{{total}}" }),
    }.ToJsonString();

    public static async Task<TenantClient> TenantAsync(CrmHost host)
    {
        var client = await host.NewTenantAsync();
        await client.MutateAsync(CreateEntity, new { input = new { name = "customer", labels = Labels("Customer", "客户"), fields = new[] { Field("name", "TEXT", new { required = true }), Field("language", "TEXT") } } });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "quote",
                labels = Labels("Quote", "报价单"),
                fields = new[]
                {
                    Field("number", "TEXT", new { required = true }), Field("customer", "LOOKUP", new { lookupEntity = "customer" }),
                    Field("total", "MONEY"), Field("validUntil", "DATE"), Field("document", "ATTACHMENT"),
                },
            },
        });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "quoteLine",
                labels = Labels("Quote line", "报价明细"),
                fields = new[]
                {
                    Field("quote", "LOOKUP", new { lookupEntity = "quote", inverseName = "lines" }), Field("product", "TEXT", new { required = true }),
                    Field("quantity", "DECIMAL"), Field("amount", "MONEY"),
                },
            },
        });
        await client.MutateAsync(CreateEntity, new { input = new { name = "contract", labels = Labels("Contract", "合同"), fields = new[] { Field("title", "TEXT", new { required = true }), Field("document", "ATTACHMENT") } } });
        return client;
    }

    /// <summary>A quote for a new customer, with its lines (product, quantity, amount); its id.</summary>
    public static async Task<string> QuoteAsync(TenantClient client, string customer, string language, string currency, decimal total, params (string Product, decimal Quantity, decimal Amount)[] lines)
    {
        var customerId = S((await client.MutateAsync("mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { code } } }",
            new { input = new { name = customer, language } }))["customer"]!["id"]);
        var quoteId = S((await client.MutateAsync("mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code } } }",
            new { input = new { number = "Q-0042", customerId, total = new { amount = total, currency }, validUntil = "2026-12-07" } }))["quote"]!["id"]);
        foreach (var (product, quantity, amount) in lines)
        {
            await client.MutateAsync("mutation($input: CreateQuoteLineInput!) { createQuoteLine(input: $input) { quoteLine { id } userErrors { code } } }",
                new { input = new { quoteId, product, quantity, amount = new { amount, currency } } });
        }

        return quoteId;
    }

    public static Task<JsonNode> SavePdfTemplateAsync(TenantClient client, string name, string language, string layout, string entity = "quote") =>
        client.MutateAsync(SaveTemplate, new { input = new { name, language, entity, field = "document", pdfLayout = layout } });

    /// <summary>Saves a .docx template the way a client uploads it: a multipart request with the file.</summary>
    public static Task<GraphQLResponse> UploadDocxTemplateAsync(TenantClient client, string name, string language, byte[] docx) =>
        Uploads.PostAsync(client, Uploads.Multipart(SaveTemplate, new { input = new { name, language, entity = "quote", field = "document" }, file = (object?)null },
            new Dictionary<string, string[]> { ["0"] = ["variables.file"] }, (docx, "quote.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")));

    /// <summary>
    /// A quote template as Word leaves one: a heading whose merge field is split over two runs, and a
    /// table whose second row names the lines.
    /// </summary>
    public static byte[] DocxTemplate()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(
                new Paragraph(new Run(new Text("报价单 {{num")), new Run(new RunProperties(new Bold()), new Text("ber}} for "), new Text("{{customer.name}}"))),
                new Table(
                    Row("Product", "Quantity", "Amount"),
                    Row("{{lines.product}}", "{{lines.quantity}}", "{{lines.amount}}")),
                new Paragraph(new Run(new Text("Total: {{total}}, valid until {{validUntil}}.")))));
        }

        return stream.ToArray();
    }

    /// <summary>The paragraphs' text and the table's rows (each its cells' text) of a .docx.</summary>
    public static (string Text, List<string[]> Rows) ReadDocx(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var document = WordprocessingDocument.Open(stream, false);
        var body = document.MainDocumentPart!.Document!.Body!;
        var text = string.Join("\n", body.Elements<Paragraph>().Select(p => p.InnerText));
        var rows = body.Descendants<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray()).ToList();
        return (text, rows);
    }

    /// <summary>A file through its signed link, as anyone holding the link fetches it (no key).</summary>
    public static async Task<byte[]> DownloadAsync(CrmHost host, string url)
    {
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await anonymous.GetAsync(url);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static string S(JsonNode? node) => node!.GetValue<string>();

    private static TableRow Row(params string[] cells) => new(cells.Select(c => new TableCell(new Paragraph(new Run(new Text(c) { Space = SpaceProcessingModeValues.Preserve })))));
}
