using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Runs the marketing module's README (plugins/CrmEngine.Plugins.Marketing/README.md) as written,
/// after the set-up block of the repository README's walkthrough, against a fresh install whose demo
/// tenant has the sales and marketing plugins.
/// </summary>
public sealed class MarketingReadmeTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,marketing"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_marketing_examples_work_as_written_on_the_demo_tenant()
    {
        var setup = DocExamples.Blocks(DocExamples.Readme, DocExamples.Walkthrough)[0];
        var marketing = DocExamples.Blocks(DocExamples.MarketingReadme);
        Assert.True(marketing.Count >= 6, $"Expected the bash blocks of {DocExamples.MarketingReadme}, found {marketing.Count}.");
        var outputs = await DocExamples.RunAsync(_host, [setup, .. marketing], "crm-marketing-readme.out");
        var output = string.Concat(outputs);

        // 150,000 of the plan's 200,000 allocated; the 60,000 webinar refused; 24,000 of costs.
        Assert.Contains("\"budget\":{\"amount\":200000},\"allocatedBudget\":{\"amount\":150000}", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"active\",\"actualCost\":{\"amount\":24000}", outputs[3], StringComparison.Ordinal);
        Assert.Contains("\"alreadyMembers\":0", outputs[4], StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(outputs[4], "\"memberStatus\":\"responded\",\"respondedAt\":\""));
        // The fair alone touched the 96,000 deal: ROI (96,000 − 24,000) / 24,000 = 3; one lead, one deal.
        Assert.Contains("\"wonRevenue\":96000,\"attributedRevenue\":96000,\"actualCost\":24000,\"roi\":3,", output, StringComparison.Ordinal);
        Assert.Contains("\"leads\":1,\"responses\":2,\"opportunities\":1,\"wonDeals\":1,\"attributedRevenue\":96000,\"roi\":3,\"costPerLead\":24000,\"costPerOpportunity\":24000,\"costPerWonDeal\":24000", output, StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"FIRST\",\"LEAD_CREATION\"]", output, StringComparison.Ordinal);
        // The segment finds the fair's visitor company by the engine's filter, and its refresh lists it.
        Assert.Contains("{\"name\":\"苏州精工机械有限公司\"}", outputs[6], StringComparison.Ordinal);
        Assert.Matches("\"refreshSegment\":\\{\"result\":\\{\"added\":[1-9]\\d*,\"removed\":0,\"excluded\":0,", outputs[6]);
        Assert.Contains("{\"type\":\"event\",\"members\":2,\"responded\":2,\"qualified\":1,\"opportunities\":1,\"won\":1,\"responseRate\":1,\"winRate\":1}", output, StringComparison.Ordinal);
    }
}
