using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Performance;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Partners.Distribution;

/// <summary>
/// 线索分配给伙伴: the rules that say which partners may get which leads, what the partners module
/// adds to sales' leads (the partner a lead is offered to and where the offer stands), and every
/// offer made, with its answer.
/// </summary>
internal static class DistributionEntities
{
    public const string Rule = "partnerLeadRule";
    public const string Offer = "partnerLeadOffer";
    public const string ResponseHours = "leadResponseHours";

    /// <summary>Offers still waiting for the partner's answer, and those it accepted: a partner's load.</summary>
    public static readonly IReadOnlyList<object?> Open = ["offered", "accepted"];

    public static void Declare(IPluginBuilder builder)
    {
        builder.Setting(ResponseHours, SettingType.Integer, s => s.Label("Hours a partner has to accept a lead", "伙伴接受线索的时限（小时）").Default(48));
        builder.Entity(Rule, e => e
            .Label("Partner lead rule", "伙伴线索分配规则")
            .Description("Which partners may be offered which leads: by the lead's region and the partner's tier and specializations; rules are tried by priority.", "哪些伙伴可获得哪些线索：按线索区域、伙伴级别与专长；按优先级依次匹配。")
            .Text("name", f => f.Label("Name", "规则名称").Required().MaxLength(100))
            .Integer("priority", f => f.Label("Priority (lower first)", "优先级（小者优先）").Required().Range(0, 1000).Indexed())
            .MultiPicklist("regions", f => f.Label("Lead regions (any when empty)", "线索区域（空为不限）").SalesRegions())
            .MultiPicklist("tiers", f => PerformanceEntities.TierOptions(f.Label("Partner tiers (any when empty)", "伙伴级别（空为不限）")))
            .MultiPicklist("specializations", f => f.Label("Partner specializations (any when empty)", "伙伴专长（空为不限）").ProductCategories())
            .Boolean("active", f => f.Label("Active", "启用").Default("true")));
        builder.Entity(Offer, e => e
            .Label("Lead offer", "线索分配记录")
            .Description("A lead offered to a partner, and its answer: accepted, rejected, or expired unanswered (then offered to the next partner).", "分配给伙伴的线索及其答复：接受、拒绝或超时未答（随后分配给下一个伙伴）。")
            .Lookup("lead", "lead", f => f.Label("Lead", "线索").Required().Inverse("partnerOffers"))
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("leadOffers"))
            .Lookup("rule", Rule, f => f.Label("Rule", "分配规则").Inverse("offers"))
            .Picklist("status", f => f.Label("Status", "状态").Required()
                .Option("offered", "Offered", "待接受").Option("accepted", "Accepted", "已接受").Option("rejected", "Rejected", "已拒绝").Option("expired", "Expired", "已超时").Indexed())
            .DateTime("offeredAt", f => f.Label("Offered", "分配时间"))
            .DateTime("dueAt", f => f.Label("Answer due", "答复截止").Indexed())
            .DateTime("decidedAt", f => f.Label("Answered", "答复时间"))
            .Text("reason", f => f.Label("Why rejected", "拒绝原因").MaxLength(500)));
    }

    /// <summary>What distribution adds to sales' leads (declared with the module's other lead fields: one extension per entity).</summary>
    public static EntityBuilder LeadFields(EntityBuilder e) => e
        .Picklist("region", f => f.Label("Region", "区域").SalesRegions())
        .Picklist("productInterest", f => f.Label("Product interest", "意向产品类别").ProductCategories())
        .Lookup("partner", PartnerEntities.Partner, f => f.Label("Distributed to partner", "分配伙伴").Inverse("leads"))
        .Picklist("partnerStatus", f => f.Label("Partner's answer", "伙伴答复").Option("offered", "Offered", "待接受").Option("accepted", "Accepted", "已接受").Indexed())
        .DateTime("partnerDueAt", f => f.Label("Partner's answer due", "伙伴答复截止"));
}
