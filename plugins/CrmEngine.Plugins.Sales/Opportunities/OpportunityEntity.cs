using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Opportunities;

/// <summary>商机: a possible deal with an amount, a stage in a pipeline, a close date and, once closed, why it was won or lost.</summary>
internal static class OpportunityEntity
{
    public const string Name = "opportunity";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Opportunity", "商机")
        .Plural("opportunities", "Opportunities", "商机")
        .Description("A possible deal: amount, stage, probability, expected close date.", "可能成交的交易：金额、阶段、赢率、预计成交日期。")
        .Text("name", f => f.Label("Name", "商机名称").Required().MaxLength(200).Searchable())
        .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Inverse("opportunities"))
        .Lookup("contact", ContactEntity.Name, f => f.Label("Contact", "联系人").Inverse("opportunities"))
        .Lookup("pipeline", PipelineEntity.Name, f => f.Label("Pipeline", "销售流程").Inverse("opportunities"))
        .Lookup("stage", StageEntity.Name, f => f.Label("Stage", "销售阶段").Inverse("opportunities"))
        .Money("amount", f => f.Label("Amount", "金额").Currency("CNY").Range(0, null))
        .Decimal("probability", f => f.Label("Probability (%)", "赢率（%）").Range(0, 100).Scale(2))
        .Date("expectedCloseDate", f => f.Label("Expected close date", "预计成交日期").Indexed())
        .Date("closedOn", f => f.Label("Closed on", "结束日期"))
        .Picklist("status", f => f.Label("Status", "状态").Option("open", "Open", "进行中").Option("won", "Won", "赢单").Option("lost", "Lost", "输单").Default("open").Indexed())
        .Picklist("forecastCategory", f => f.Label("Forecast category", "预测类别")
            .Option("pipeline", "Pipeline", "管道").Option("bestCase", "Best case", "最佳情况").Option("commit", "Commit", "承诺")
            .Option("closed", "Closed", "已成交").Option("omitted", "Omitted", "不计入"))
        .Text("competitors", f => f.Label("Competitors", "竞争对手").MaxLength(500))
        .Picklist("wonReason", f => f.Label("Won because", "赢单原因")
            .Option("price", "Price", "价格优势").Option("product", "Product or solution", "产品/方案").Option("relationship", "Relationship", "客户关系")
            .Option("service", "Service", "服务").Option("brand", "Brand", "品牌").Option("quoteAccepted", "Quote accepted", "报价被接受").Option("other", "Other", "其他"))
        .Picklist("lostReason", f => f.Label("Lost because", "输单原因")
            .Option("price", "Price", "价格").Option("competitor", "Lost to a competitor", "竞争对手").Option("noBudget", "No budget", "无预算")
            .Option("noDecision", "No decision", "搁置/无决策").Option("timing", "Timing", "时机不对").Option("productFit", "Product fit", "产品不匹配").Option("other", "Other", "其他"))
        .Text("lossNote", f => f.Label("Loss details", "输单说明").MaxLength(500))
        .DateTime("stageEnteredAt", f => f.Label("In this stage since", "进入当前阶段时间"))
        .DateTime("lastActivityAt", f => f.Label("Last follow-up", "最近跟进时间"))
        .DateTime("nextFollowUpAt", f => f.Label("Next follow-up", "下次跟进时间"))
        .LongText("description", f => f.Label("Notes", "备注")));
}

/// <summary>The time an opportunity spent in a stage: entered, left, days.</summary>
internal static class StageHistoryEntity
{
    public const string Name = "stageHistory";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Stage history", "阶段历史")
        .Plural("stageHistories", "Stage history", "阶段历史")
        .Description("One stay of an opportunity in a stage; days are filled in when it leaves.", "商机在某阶段的一次停留；离开时记录天数。")
        .Lookup("opportunity", OpportunityEntity.Name, f => f.Label("Opportunity", "商机").Required().Inverse("stageHistory"))
        .Lookup("stage", StageEntity.Name, f => f.Label("Stage", "销售阶段").Required().Inverse("stays"))
        .DateTime("enteredAt", f => f.Label("Entered", "进入时间").Required())
        .DateTime("leftAt", f => f.Label("Left", "离开时间"))
        .Decimal("daysInStage", f => f.Label("Days in stage", "停留天数").Scale(2))
        .Money("amount", f => f.Label("Amount on entering", "进入时金额").Currency("CNY"))
        .Decimal("probability", f => f.Label("Probability on entering (%)", "进入时赢率（%）").Scale(2)));
}
