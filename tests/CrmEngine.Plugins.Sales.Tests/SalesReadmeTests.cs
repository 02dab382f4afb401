using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Runs the sales module's README (plugins/CrmEngine.Plugins.Sales/README.md) as written, after the
/// set-up block of the repository README's walkthrough (the API key and the gql helper), against a
/// fresh install whose demo tenant has the sales plugin and its demo data.
/// </summary>
public sealed class SalesReadmeTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_sales_examples_work_as_written_on_the_demo_tenant()
    {
        var setup = DocExamples.Blocks(DocExamples.Readme, DocExamples.Walkthrough)[0];
        var sales = DocExamples.Blocks(DocExamples.SalesReadme);
        Assert.True(sales.Count >= 11, $"Expected the bash blocks of {DocExamples.SalesReadme}, found {sales.Count}.");
        var outputs = await DocExamples.RunAsync(_host, [setup, .. sales], "crm-sales-readme.out");
        var output = string.Concat(outputs);

        Assert.Contains("\"outcome\":\"CREATED\"", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"MERGED\"", output, StringComparison.Ordinal);
        // The repeat's other channel is kept on its capture; a colleague at the same company is a lead of their own, linked, with the same rep.
        Assert.Contains("\"capture\":{\"source\":\"event\",\"notMerged\":\"source\"}", outputs[1], StringComparison.Ordinal);
        Assert.Matches("\"outcome\":\"LINKED\",\"matchedOn\":\\[\"company\"\\],\"lead\":\\{\"name\":\"王磊\",\"ownerId\":\"(?<owner>[^\"]+)\"\\},\"relatedLead\":\\{\"name\":\"陈静\",\"ownerId\":\"\\k<owner>\"\\}", outputs[1]);
        Assert.Contains("\"entity\":\"lead\"", output, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"上海星辰科技有限公司\"", output, StringComparison.Ordinal);
        Assert.Contains("\"probability\":50", output, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"QUOTE_NOT_CURRENT\"", output, StringComparison.Ordinal);
        // Decimals come out without trailing zeros (121429.80 is 121429.8), alike on SQLite and PostgreSQL.
        Assert.Contains("\"total\":{\"amount\":121429.8}", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"accepted\"", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"approved\"", output, StringComparison.Ordinal);
        Assert.Contains("\"paymentStatus\":\"partial\"", output, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"assigned\"", output, StringComparison.Ordinal);
        Assert.Contains("\"conversionRate\"", output, StringComparison.Ordinal);
        Assert.Contains("\"ownerName\":\"李娜\"", output, StringComparison.Ordinal);
        Assert.Contains("\"customers\":[{\"account\":{\"name\"", output, StringComparison.Ordinal);
        // The 7P analysis of the A-tier accounts answers with every P (no service or marketing module here: those are null).
        Assert.Contains("\"customerAnalysis\":{\"accounts\":", output, StringComparison.Ordinal);
        Assert.Contains("\"serviceCases\":null", output, StringComparison.Ordinal);
        Assert.Contains("\"promotion\":null", output, StringComparison.Ordinal);
        Assert.Matches("\"weightedPipeline\":\\d+(\\.\\d*[1-9])?[,}]", output); // no trailing zeros
        Assert.Contains("\"lifecycleTransitions\":{\"periods\":[{\"period\":", output, StringComparison.Ordinal);
        // The predictive scores' query answers as written (the nightly job has not run on a fresh install: no models yet).
        Assert.Contains("\"predictionModels\":{\"nodes\":[]}", output, StringComparison.Ordinal);

        // The commission on the 50,000 payment at the demo rep's or the default rate has arrived, and
        // it, the order and the collections row are the rep's the lead went to, not the admin key's.
        var rep = System.Text.RegularExpressions.Regex.Match(outputs[1], "\"ownerId\":\"([^\"]+)\"").Groups[1].Value;
        Assert.Matches($"\"ownerId\":\"{rep}\",\"receivedAmount\"", output);
        Assert.Matches($"\"commissions\":\\{{\"nodes\":\\[\\{{\"ownerId\":\"{rep}\",\"amount\":\\{{\"amount\":\\d", output);
        Assert.DoesNotContain("\"ownerName\":null", output, StringComparison.Ordinal);
    }
}
