using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Runs the service module's README (plugins/CrmEngine.Plugins.Service/README.md) as written, after
/// the set-up block of the repository README's walkthrough, against a fresh install whose demo tenant
/// has the sales and service plugins (and their demo data: its twelve cases take CS-00001 to CS-00012).
/// </summary>
public sealed class ServiceReadmeTests : IDisposable
{
    private readonly CrmHost _host = new(settings: DemoInstall.Settings("sales,service"));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_readme_service_examples_work_as_written_on_the_demo_tenant()
    {
        var setup = DocExamples.Blocks(DocExamples.Readme, DocExamples.Walkthrough)[0];
        var service = DocExamples.Blocks(DocExamples.ServiceReadme);
        Assert.True(service.Count >= 9, $"Expected the bash blocks of {DocExamples.ServiceReadme}, found {service.Count}.");
        var outputs = await DocExamples.RunAsync(_host, [setup, .. service], "crm-service-readme.out");
        var output = string.Concat(outputs);

        Assert.Contains("\"workingDays\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"result\":{\"holidays\":7,\"workdays\":1}", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00013\",\"status\":\"new\"", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"slaPolicy\":{\"name\":\"普通工单\"}", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"pendingCustomer\",\"slaState\":\"paused\"", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_INVALID_TRANSITION\"", outputs[3], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_ESCALATION_REQUIRED\"", outputs[4], StringComparison.Ordinal);
        Assert.Contains("\"escalated\":true,\"priority\":\"high\"", outputs[5], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"resolved\"", outputs[5], StringComparison.Ordinal);
        Assert.Contains("\"assignmentReason\":\"王芳: online, has skills network, printer, language zh, load 0 (0 open) is the lowest.\"", outputs[6], StringComparison.Ordinal);
        Assert.Contains("\"ok\":{\"totalCount\":", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"published\",\"publishedVersion\":1", outputs[8], StringComparison.Ordinal);
        Assert.Contains("<strong>电源</strong>", outputs[8], StringComparison.Ordinal);
        Assert.Contains("\"searchKnowledge\":[{\"title\":\"打印机脱机怎么办\",\"status\":\"published\"}],\"knowledgeBaseLink\":\"/p/service/kb?token=", outputs[8], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00016\"", outputs[9], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00017\",\"priority\":\"high\",\"entitlementStatus\":\"covered\",\"entitlement\":{\"name\":\"金牌支持\"}", outputs[12], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"CS-00018\",\"priority\":\"normal\",\"entitlementStatus\":\"exhausted\"", outputs[12], StringComparison.Ordinal);
        Assert.Contains("\"allowance\":1,\"used\":1,\"remaining\":0", outputs[12], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_ALLOWANCE_BELOW_USED\"", outputs[13], StringComparison.Ordinal);
        Assert.Contains("\"result\":{\"question\":\"打印机显示已连接 Wi-Fi 吗？\",\"answers\":[\"是\",\"否\"]}", outputs[14], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"solved\",\"path\":\"打印机电源灯亮吗？ → 亮\\n打印机显示已连接 Wi-Fi 吗？ → 否\\n\"},\"solution\":{\"title\":\"打印机脱机怎么办\"}", outputs[14], StringComparison.Ordinal);
        Assert.Contains("\"solutionArticle\":{\"title\":\"打印机脱机怎么办\"}", outputs[14], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_TREE_CYCLE\"", outputs[15], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"WO-00001\",\"status\":\"scheduled\",\"technician\":{\"name\":\"赵工\"}", outputs[16], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"completed\",\"serviceReport\":\"现场服务报告 / Service report WO-00001", outputs[16], StringComparison.Ordinal);
        Assert.Contains("\"number\":\"WO-00002\",\"status\":\"scheduled\"", outputs[17], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"SERVICE_DOUBLE_BOOKED\"", outputs[17], StringComparison.Ordinal);
        Assert.Contains("\"slaPolicy\":{\"name\":\"普通工单\",\"warnAtPercent\":80,\"nextResponseMinutes\":120}", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"serviceEscalationRule\":{\"name\":\"30 分钟未分配\",\"trigger\":\"unassigned\",\"minutes\":30,\"escalateTo\":{\"name\":\"张伟（组长）\"}}", outputs[18], StringComparison.Ordinal);
        Assert.Contains("\"escalations\":{\"nodes\":[{\"reason\":\"客户要求主管处理\",\"priorityBefore\":\"normal\",\"priorityAfter\":\"high\",\"rule\":null}]}", outputs[18], StringComparison.Ordinal);
        Assert.Contains("\"openServiceCases\":", outputs[19], StringComparison.Ordinal);
        Assert.Contains("\"serviceCases\":{\"nodes\":[{\"number\":\"CS-", outputs[19], StringComparison.Ordinal);
        Assert.Contains("Case number: <strong>CS-", outputs[20], StringComparison.Ordinal);
    }
}
