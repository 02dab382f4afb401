using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Intelligence;

/// <summary>竞争对手 (market intelligence, 市场情报): a competitor, what is known of it, and the deals it was in.</summary>
internal static class CompetitorEntity
{
    public const string Name = "competitor";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Competitor", "竞争对手")
        .Description("A competitor met in deals: its strengths, weaknesses, pricing and how often we win against it.", "在商机中遇到的竞争对手：其优势、劣势、定价，以及我们对其的赢单情况。")
        .Text("name", f => f.Label("Name", "名称").Required().MaxLength(200).Unique().Searchable())
        .Url("website", f => f.Label("Website", "网站"))
        .Picklist("threatLevel", f => f.Label("Threat level", "威胁程度")
            .Option("low", "Low", "低").Option("medium", "Medium", "中").Option("high", "High", "高").Default("medium"))
        .LongText("strengths", f => f.Label("Strengths", "优势"))
        .LongText("weaknesses", f => f.Label("Weaknesses", "劣势"))
        .LongText("pricing", f => f.Label("Pricing notes", "定价情况"))
        .LongText("description", f => f.Label("Notes", "备注")));
}

/// <summary>商机竞争对手: a competitor in one opportunity, with why we won or lost against it.</summary>
internal static class OpportunityCompetitorEntity
{
    public const string Name = "opportunityCompetitor";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Competitor in a deal", "商机竞争对手")
        .Description("A competitor met in an opportunity, and the reason we won or lost against it.", "商机中遇到的竞争对手，以及对其赢单或输单的原因。")
        .Lookup("opportunity", "opportunity", f => f.Label("Opportunity", "商机").Required().Inverse("competitorLinks"))
        .Lookup("competitor", CompetitorEntity.Name, f => f.Label("Competitor", "竞争对手").Required().Inverse("opportunityLinks"))
        .Picklist("reason", f => f.Label("Won or lost against it because", "对其赢单/输单原因")
            .Option("price", "Price", "价格").Option("product", "Product or solution", "产品/方案").Option("relationship", "Relationship", "客户关系")
            .Option("service", "Service", "服务").Option("brand", "Brand", "品牌").Option("timing", "Timing", "时机").Option("other", "Other", "其他"))
        .Text("notes", f => f.Label("Notes", "说明").MaxLength(500)));
}
