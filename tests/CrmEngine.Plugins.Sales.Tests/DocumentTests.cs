using System.Net;
using UglyToad.PdfPig;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// The sales module's documents: generateQuoteDocument and generateContractDocument fill the default
/// en/zh-CN templates (seeded on first use) and store the PDF on the record, downloadable by its link.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class DocumentTests(SalesHost fixture)
{
    private const string Errors = "userErrors { field code message }";

    [Fact]
    public async Task A_quote_pdf_names_the_chinese_customer_its_lines_and_the_exact_total()
    {
        var admin = (await fixture.TenantAsync()).Admin;
        var account = (await admin.CreateAsync("Account", new { name = "杭州云栖数据有限公司" })).Id();
        var product = (await admin.CreateAsync("Product", new { name = "销售云 CRM 专业版", listPrice = new { amount = 12345.67m }, taxRate = 13m })).Id();
        var quote = (await admin.CreateAsync("Quote", new { name = "云栖数据 CRM 报价", accountId = account, validUntil = "2026-12-07" })).Id();
        await admin.CreateAsync("QuoteLine", new { quoteId = quote, productId = product, quantity = 3m });
        var total = (await admin.QueryAsync($"{{ quote(id: \"{quote}\") {{ number total {{ amount }} }} }}"))["quote"]!;

        var result = await admin.RunAsync($"mutation {{ generateQuoteDocument(id: \"{quote}\", language: \"zh-CN\") {{ result {{ fileName quote {{ document {{ name contentType url }} }} }} {Errors} }} }}");

        var file = Assert.Single(result["quote"]!["document"]!.AsArray())!;
        Assert.Equal(("application/pdf", result["fileName"].Str()), (file["contentType"].Str(), file["name"].Str()));
        var text = await PdfTextAsync(file["url"].Str());
        Assert.Contains("杭州云栖数据有限公司", text);
        Assert.Contains("销售云 CRM 专业版", text);
        Assert.Contains($"报价单 {total["number"].Str()}", text);
        Assert.Contains("合计金额", text);
        Assert.Contains("¥" + total["total"]!["amount"].Dec().ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture), text);
        Assert.Contains("¥41,851.82", text);
        Assert.Contains("2026年12月7日", text);
    }

    [Fact]
    public async Task A_contract_pdf_in_english_and_an_admins_own_template_replaces_the_default()
    {
        var admin = (await fixture.TenantAsync()).Admin;
        var account = (await admin.CreateAsync("Account", new { name = "Northwind Ltd" })).Id();
        var contract = (await admin.CreateAsync("Contract", new { name = "Annual licence", accountId = account, amount = new { amount = 50000m }, startDate = "2026-01-01" })).Id();

        var english = await admin.RunAsync($"mutation {{ generateContractDocument(id: \"{contract}\", language: \"en\") {{ result {{ contract {{ document {{ url }} }} }} {Errors} }} }}");
        await admin.MutateAsync("mutation($i: DocumentTemplateInput!) { saveDocumentTemplate(input: $i) { template { name } " + Errors + " } }",
            new { i = new { name = "sales.contract", language = "en", entity = "contract", field = "document", pdfLayout = """{"title": "Agreement {{number}} with {{account.name}}"}""" } });
        var own = await admin.RunAsync($"mutation {{ generateContractDocument(id: \"{contract}\", language: \"en\") {{ result {{ contract {{ document {{ url }} }} }} {Errors} }} }}");

        var first = await PdfTextAsync(english["contract"]!["document"]![0]!["url"].Str());
        Assert.Contains("Northwind Ltd", first);
        Assert.Contains("¥50,000.00", first);
        Assert.Contains("January 1, 2026", first);
        Assert.Contains("Agreement", await PdfTextAsync(own["contract"]!["document"]![1]!["url"].Str()));
    }

    private async Task<string> PdfTextAsync(string url)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length < 1_000_000, $"a generated PDF embeds a subset of its font, not the whole face: {bytes.Length} bytes");
        using var pdf = PdfDocument.Open(bytes);
        return string.Concat(pdf.GetPages().Select(p => p.Text));
    }
}
