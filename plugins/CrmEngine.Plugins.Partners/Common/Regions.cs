using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>Picklist options several partner entities share, so they read the same everywhere.</summary>
internal static class Regions
{
    /// <summary>China's sales regions (大区) and overseas: where a partner works, where an agreement is exclusive.</summary>
    public static FieldBuilder SalesRegions(this FieldBuilder f) => f
        .Option("north", "North China", "华北").Option("northeast", "Northeast China", "东北").Option("east", "East China", "华东")
        .Option("south", "South China", "华南").Option("central", "Central China", "华中").Option("southwest", "Southwest China", "西南")
        .Option("northwest", "Northwest China", "西北").Option("overseas", "Overseas", "海外");

    /// <summary>Product categories agreements set rates for and partners specialise in.</summary>
    public static FieldBuilder ProductCategories(this FieldBuilder f) => f
        .Option("software", "Software licences", "软件许可").Option("cloud", "Cloud subscriptions", "云订阅").Option("hardware", "Hardware", "硬件")
        .Option("services", "Professional services", "专业服务").Option("support", "Support and maintenance", "运维支持").Option("training", "Training", "培训");
}
