using System.Text.Json;
using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Journeys;

namespace CrmEngine.Plugins.Marketing.Demo;

/// <summary>
/// The demo's nurture journey, published as version 1: a lead who downloads the white paper (a
/// response to the e-mail campaign's form) waits a day, gets the campaign's mail, and three days later
/// is handed to sales if they clicked it, tagged for nurturing otherwise. It is entered by form posts
/// only, so the demo's existing leads and the walkthrough's new ones never wander into it.
/// </summary>
internal static class DemoJourney
{
    private static readonly string[] NurtureTags = ["nurtured"];

    public static async Task SeedAsync(IRecordApi records, CrmRecord mail, CancellationToken cancellationToken)
    {
        await Writes.RequireAsync(records.UpdateAsync(CampaignEntity.Name, mail.Id, new FieldValues
        {
            ["emailSubject"] = "{{name}}，您的《制造业数字化白皮书》解读",
            ["emailBody"] = "<p>{{name}}，您好！</p><p>感谢下载白皮书。<a href=\"https://example.cn/digital-factory/demo\">预约一次数字工厂演示</a>，看看{{company}}能从哪里开始。</p>",
            ["emailSubjectEn"] = "{{name}}, your guide to the manufacturing digitalisation white paper",
            ["emailBodyEn"] = "<p>Dear {{name}},</p><p>Thanks for downloading the white paper. <a href=\"https://example.cn/digital-factory/demo\">Book a digital factory demo</a> to see where {{company}} could start.</p>",
        }, cancellationToken: cancellationToken));
        var steps = JsonSerializer.Serialize(new object[]
        {
            new { key = "pause", type = "wait", days = 1, next = "guide" },
            new { key = "guide", type = "sendEmail", campaign = mail.Id.ToString(), next = "read" },
            new { key = "read", type = "wait", days = 3, next = "clicked" },
            new Dictionary<string, object> { ["key"] = "clicked", ["type"] = "branch", ["if"] = new { clicked = "guide" }, ["then"] = "handOver", ["else"] = "nurture" },
            new { key = "handOver", type = "handOver", status = "contacted" },
            new { key = "nurture", type = "addTags", tags = NurtureTags },
        });
        var journey = await Writes.RequireAsync(records.CreateAsync(JourneyEntity.Name, new FieldValues
        {
            ["name"] = "白皮书下载者培育",
            ["of"] = "lead",
            ["entryKind"] = "formSubmitted",
            ["entryCampaign"] = mail.Id,
            ["steps"] = steps,
            ["goal"] = "{\"status\": {\"eq\": \"qualified\"}}",
            ["description"] = "演示旅程：下载白皮书的线索一天后收到解读邮件，三天后点击过的移交销售，其余打上培育标签。",
        }, cancellationToken));
        await PublishJourney.PublishAsync(records, journey, cancellationToken);
    }
}
