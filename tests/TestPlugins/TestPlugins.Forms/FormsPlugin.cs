using CrmEngine.Sdk.Plugins;

namespace TestPlugins.Forms;

/// <summary>Declares what the public endpoints write: leads from a web form, pixel hits and webhook events.</summary>
public sealed class FormsPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("webLead", e => e
            .Label("Web lead", "网页线索")
            .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100))
            .Email("email", f => f.Label("E-mail", "邮箱"))
            .Text("source", f => f.Label("Source", "来源")));
        builder.Entity("pixelHit", e => e
            .Label("Pixel hit", "像素访问")
            .Text("subject", f => f.Label("Subject", "对象").Required())
            .Text("campaign", f => f.Label("Campaign", "市场活动")));
        builder.Entity("webhookEvent", e => e
            .Label("Webhook event", "Webhook 事件")
            .Text("kind", f => f.Label("Kind", "类型").Required())
            .LongText("payload", f => f.Label("Payload", "内容")));
    }
}
