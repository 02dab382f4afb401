using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Plugins.Sales.Common;

/// <summary>Picklist options several sales entities share, so they read the same everywhere.</summary>
internal static class Options
{
    public static FieldBuilder Industries(this FieldBuilder f) => f
        .Option("manufacturing", "Manufacturing", "制造业").Option("it", "IT and software", "信息技术").Option("finance", "Finance", "金融")
        .Option("retail", "Retail", "零售").Option("education", "Education", "教育").Option("healthcare", "Healthcare", "医疗")
        .Option("realEstate", "Real estate", "房地产").Option("logistics", "Logistics", "物流").Option("energy", "Energy", "能源")
        .Option("government", "Government", "政府").Option("other", "Other", "其他");

    public static FieldBuilder Sources(this FieldBuilder f) => f
        .Option("webForm", "Web form", "官网表单").Option("social", "Social media", "社交媒体").Option("event", "Event", "展会活动")
        .Option("import", "Import", "导入").Option("api", "API", "接口").Option("referral", "Referral", "客户推荐")
        .Option("coldCall", "Cold call", "电话营销").Option("other", "Other", "其他");

    public static FieldBuilder PoolReasons(this FieldBuilder f) => f
        .Option("noFollowUp", "No follow-up in time", "超期未跟进").Option("noDealProgress", "No deal progress in time", "超期未推进商机")
        .Option("released", "Released by the rep", "销售主动释放").Option("manual", "Moved by a manager", "主管调整");
}
