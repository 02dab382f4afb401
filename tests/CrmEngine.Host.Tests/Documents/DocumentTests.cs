using CrmEngine.Engine.Tenancy;
using CrmEngine.Files.Storage;
using CrmEngine.Host.Tests.Support;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using static CrmEngine.Host.Tests.Documents.Quotes;

namespace CrmEngine.Host.Tests.Documents;

/// <summary>
/// Generated documents over real HTTP: PDF and DOCX templates filled from a quote, its customer and
/// its lines, in the customer's language, stored on the quote and downloaded through the signed link.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class DocumentTests(HostFixture fixture)
{
    private const string ChineseCustomer = "北京华联科技有限公司";

    [Fact]
    public async Task A_quote_pdf_for_a_chinese_customer_shows_the_name_and_the_exact_total_in_chinese_formats()
    {
        using var client = await TenantAsync(fixture.Host);
        await SavePdfTemplateAsync(client, "quote", "en", Layout("Quote", "Customer", "Product", "Qty", "Amount", "Total"));
        await SavePdfTemplateAsync(client, "quote", "zh-CN", Layout("报价单", "客户", "产品", "数量", "金额", "合计"));
        var quote = await QuoteAsync(client, ChineseCustomer, "zh-CN", "CNY", 1234.5m, ("服务器", 2, 1000m), ("安装服务", 1, 234.5m));

        var file = (await client.MutateAsync(Generate, new { input = new { template = "quote", recordId = quote } }))["file"]!;

        Assert.Equal(("application/pdf", "quote-Q-0042.pdf"), (S(file["contentType"]), S(file["name"])));
        var bytes = await DownloadAsync(fixture.Host, S(file["url"]));
        using var pdf = PdfDocument.Open(bytes);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        Assert.Contains(ChineseCustomer, text);
        Assert.Contains("合计", text);
        Assert.Contains("¥1,234.50", text);
        Assert.Contains("2026年12月7日", text);
        Assert.Contains("安装服务", text);
        Assert.Contains("¥234.50", text);
        Assert.All(pdf.GetPage(1).Letters, l => Assert.Contains("WenQuanYi", l.FontName, StringComparison.Ordinal));
        Assert.Equal(1, CountOf(bytes, "/FontFile"));
        Assert.True(bytes.Length < 200_000, $"the PDF embeds a subset of the font, not the whole face: {bytes.Length} bytes");
        var stored = await client.QueryAsync("query($id: ID!) { quote(id: $id) { document { id } } }", new { id = quote });
        Assert.Equal(S(file["id"]), S(stored["quote"]!["document"]![0]!["id"]));
    }

    [Fact]
    public async Task An_english_customer_gets_the_english_variant_with_us_amounts_and_dates_and_a_language_argument_overrides_it()
    {
        using var client = await TenantAsync(fixture.Host);
        await SavePdfTemplateAsync(client, "quote", "en", Layout("Quote", "Customer", "Product", "Qty", "Amount", "Total"));
        await SavePdfTemplateAsync(client, "quote", "zh-CN", Layout("报价单", "客户", "产品", "数量", "金额", "合计"));
        var quote = await QuoteAsync(client, "Acme Ltd", "en-US", "USD", 98765.4m, ("Server", 3, 98765.4m));

        var english = await TextOfAsync(client, new { template = "quote", recordId = quote });
        var chinese = await TextOfAsync(client, new { template = "quote", recordId = quote, language = "zh-CN" });

        Assert.Contains("Quote Q-0042", english);
        Assert.Contains("$98,765.40", english);
        Assert.Contains("December 7, 2026", english);
        Assert.DoesNotContain("合计", english);
        Assert.Contains("合计", chinese);
        Assert.Contains("2026年12月7日", chinese);
    }

    [Fact]
    public async Task A_docx_template_is_filled_with_its_merge_fields_and_one_table_row_per_line()
    {
        using var client = await TenantAsync(fixture.Host);
        var saved = await UploadDocxTemplateAsync(client, "quote-docx", "zh-CN", DocxTemplate());
        Assert.True(saved.Errors is null, saved.Raw);
        Assert.Equal("DOCX", S(saved.Data!["saveDocumentTemplate"]!["template"]!["format"]));
        var quote = await QuoteAsync(client, ChineseCustomer, "zh-CN", "CNY", 1234.5m, ("服务器", 2, 1000m), ("安装服务", 1, 234.5m), ("培训", 1.5m, 0m));

        var file = (await client.MutateAsync(Generate, new { input = new { template = "quote-docx", recordId = quote } }))["file"]!;

        Assert.Equal("quote-docx-Q-0042.docx", S(file["name"]));
        var (text, rows) = ReadDocx(await DownloadAsync(fixture.Host, S(file["url"])));
        Assert.Contains($"报价单 Q-0042 for {ChineseCustomer}", text);
        Assert.Contains("Total: ¥1,234.50, valid until 2026年12月7日.", text);
        Assert.Equal(
            [["Product", "Quantity", "Amount"], ["服务器", "2", "¥1,000.00"], ["安装服务", "1", "¥234.50"], ["培训", "1.5", "¥0.00"]],
            rows);
    }

    [Fact]
    public async Task An_unknown_template_or_one_for_another_entity_is_refused_with_its_code_and_stores_nothing()
    {
        using var client = await TenantAsync(fixture.Host);
        await SavePdfTemplateAsync(client, "contract", "en", """{"title": "Contract {{title}}"}""", entity: "contract");
        var quote = await QuoteAsync(client, ChineseCustomer, "zh-CN", "CNY", 1m);

        var unknown = await client.QueryAsync(Generate, new { input = new { template = "nope", recordId = quote } });
        var other = await client.QueryAsync(Generate, new { input = new { template = "contract", recordId = quote } });
        var madeUp = await client.QueryAsync(Generate, new { input = new { template = "contract", recordId = MadeUp(quote) } });

        Assert.Equal("TEMPLATE_NOT_FOUND", S(unknown["generateDocument"]!["userErrors"]![0]!["code"]));
        Assert.Equal("TEMPLATE_WRONG_ENTITY", S(other["generateDocument"]!["userErrors"]![0]!["code"]));
        Assert.Equal("NOT_FOUND", S(madeUp["generateDocument"]!["userErrors"]![0]!["code"]));
        await AssertNoFilesAsync(client);
    }

    [Fact]
    public async Task A_malformed_docx_or_layout_is_refused_as_an_invalid_template_and_nothing_is_saved()
    {
        using var client = await TenantAsync(fixture.Host);
        var zip = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

        var docx = await UploadDocxTemplateAsync(client, "broken", "en", zip);
        var layout = await client.QueryAsync(SaveTemplate, new { input = new { name = "broken", language = "en", entity = "quote", field = "document", pdfLayout = """{"title": "x", "colour": "red"}""" } });
        var field = await client.QueryAsync(SaveTemplate, new { input = new { name = "broken", language = "en", entity = "quote", field = "number", pdfLayout = """{"title": "x"}""" } });

        Assert.True(docx.Errors is null, docx.Raw);
        Assert.Equal(("TEMPLATE_INVALID", "file"), (S(docx.Data!["saveDocumentTemplate"]!["userErrors"]![0]!["code"]), S(docx.Data!["saveDocumentTemplate"]!["userErrors"]![0]!["field"])));
        Assert.Equal("TEMPLATE_INVALID", S(layout["saveDocumentTemplate"]!["userErrors"]![0]!["code"]));
        Assert.Equal("UNKNOWN_FIELD", S(field["saveDocumentTemplate"]!["userErrors"]![0]!["code"]));
        Assert.Empty((await client.QueryAsync("{ documentTemplates { name } }"))["documentTemplates"]!.AsArray());
    }

    [Fact]
    public async Task Someone_who_may_read_the_quote_but_not_update_it_is_refused_and_nothing_is_stored()
    {
        using var admin = await TenantAsync(fixture.Host);
        await SavePdfTemplateAsync(admin, "quote", "en", Layout("Quote", "Customer", "Product", "Qty", "Amount", "Total"));
        var quote = await QuoteAsync(admin, ChineseCustomer, "zh-CN", "CNY", 1m);
        await admin.MutateAsync("mutation($input: RoleInput!) { saveRole(input: $input) { role { name } userErrors { code } } }",
            new { input = new { name = "quoteReader", entities = new object[] { new { entity = "*", read = "ALL" } } } });
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "reader", ["quoteReader"], null, null, CancellationToken.None);
        using var reader = fixture.Host.Client(admin.TenantId, key.Key);

        var refused = await reader.QueryAsync(Generate, new { input = new { template = "quote", recordId = quote } });
        var templates = await reader.PostAsync("{ documentTemplates { name } }");

        Assert.Equal("FORBIDDEN", S(refused["generateDocument"]!["userErrors"]![0]!["code"]));
        Assert.Null(refused["generateDocument"]!["file"]);
        Assert.Equal("FORBIDDEN", templates.FirstErrorCode);
        await AssertNoFilesAsync(admin);
    }

    private static int CountOf(byte[] bytes, string text)
    {
        var pattern = System.Text.Encoding.ASCII.GetBytes(text);
        var count = 0;
        for (var at = bytes.AsSpan().IndexOf(pattern); at >= 0; at = bytes.AsSpan(at + 1).IndexOf(pattern) is var next and >= 0 ? at + 1 + next : -1)
        {
            count++;
        }

        return count;
    }

    /// <summary>A well-formed id of the same entity that names no record.</summary>
    private static string MadeUp(string id) =>
        CrmEngine.Engine.Records.GlobalId.TryDecode(id, out var entity, out _) ? CrmEngine.Engine.Records.GlobalId.Encode(entity, Guid.CreateVersion7()) : throw new InvalidOperationException(id);

    private async Task<string> TextOfAsync(TenantClient client, object input)
    {
        var file = (await client.MutateAsync(Generate, new { input }))["file"]!;
        using var pdf = PdfDocument.Open(await DownloadAsync(fixture.Host, S(file["url"])));
        return string.Concat(pdf.GetPages().Select(p => p.Text));
    }

    private async Task AssertNoFilesAsync(TenantClient client)
    {
        var store = await fixture.Host.Service<TenantRegistry>().GetAsync(client.TenantId, CancellationToken.None);
        await using var context = store.Current.CreateContext();
        Assert.Empty(await context.Set<FileRow>().AsNoTracking().ToListAsync());
        await foreach (var stored in fixture.Host.Service<IFileStorage>().ListAsync(client.TenantId, CancellationToken.None))
        {
            Assert.Fail($"File {stored} is stored.");
        }
    }
}
