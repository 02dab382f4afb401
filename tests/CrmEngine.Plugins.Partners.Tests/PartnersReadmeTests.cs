using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// Runs the partners module's README (plugins/CrmEngine.Plugins.Partners/README.md) as written, after
/// the set-up block of the repository README's walkthrough, against a fresh install whose demo tenant
/// has sales and partners.
/// </summary>
public sealed class PartnersReadmeTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,partners"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_partner_examples_work_as_written_on_the_demo_tenant()
    {
        var setup = DocExamples.Blocks(DocExamples.Readme, DocExamples.Walkthrough)[0];
        var partners = DocExamples.Blocks(DocExamples.PartnersReadme);
        Assert.Equal(7, partners.Count);
        var outputs = await DocExamples.RunAsync(_host, [setup, .. partners], "crm-partners-readme.out");
        var output = string.Concat(outputs);

        Assert.Contains("\"name\":\"CRM 实施认证\",\"expiresOn\":\"2028-02-29\",\"partner\":{\"name\":\"华东智联信息技术有限公司\"}", output, StringComparison.Ordinal);
        Assert.Contains("\"category\":\"software\",\"discountRate\":25,\"commissionRate\":8.5", output, StringComparison.Ordinal);
        Assert.Contains("{\"request\":{\"status\":\"APPROVED\"}", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"pendingApproval\",\"conflictCount\":1,\"conflicts\":{\"nodes\":[{\"kind\":\"account\",\"reasons\":[\"companyName\",\"emailDomain\"],\"matchedName\":\"深圳市腾达科技有限公司\"}]}", outputs[3], StringComparison.Ordinal);
        Assert.Contains("\"extensionCount\":1", outputs[4], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"converted\",\"account\":{\"name\":\"深圳市腾达科技有限公司\"},\"opportunity\":{\"partner\":{\"name\":\"华东智联信息技术有限公司\"},\"partnerRole\":\"sourced\",\"amount\":{\"amount\":360000},\"status\":\"open\"}", outputs[4], StringComparison.Ordinal);
        Assert.Contains("\"conflicts\":{\"nodes\":[{\"kind\":\"account\",\"reasons\":[\"companyName\"]},{\"kind\":\"opportunity\",\"reasons\":[\"companyName\"]}]}", outputs[5], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"PARTNER_DEAL_PROTECTED\"", outputs[5], StringComparison.Ordinal);
        Assert.Contains("\"period\":\"2027-H1\",\"amount\":{\"amount\":50000},\"committed\":{\"amount\":18000},\"remaining\":{\"amount\":32000}", outputs[6], StringComparison.Ordinal);
        Assert.Contains("{\"result\":1,", outputs[7], StringComparison.Ordinal);
        Assert.Contains("\"commissionTotal\":{\"amount\":10200},\"fundTotal\":{\"amount\":16888.88},\"total\":{\"amount\":27088.88}", outputs[7], StringComparison.Ordinal);
    }
}
