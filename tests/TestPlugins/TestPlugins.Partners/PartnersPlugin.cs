using CrmEngine.Sdk.Plugins;

namespace TestPlugins.Partners;

/// <summary>Partners and the deals registered through them.</summary>
public sealed class PartnersPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("partner", e => e
            .Label("Partner", "合作伙伴")
            .Text("name", f => f.Label("Name", "名称").Required().MaxLength(80))
            .Boolean("active", f => f.Label("Active", "有效").Default("true")));
        builder.Entity("deal", e => e
            .Label("Deal", "交易")
            .Text("title", f => f.Label("Title", "标题").Required().MaxLength(80))
            .Lookup("partner", "partner", f => f.Label("Partner", "合作伙伴").Inverse("deals")));
    }
}
