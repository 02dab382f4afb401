using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>线索: a potential customer from any channel, scored, de-duplicated, assigned and converted.</summary>
internal static class LeadEntity
{
    public const string Name = "lead";

    /// <summary>Statuses of leads still being worked (they count towards a rep's load).</summary>
    public static readonly IReadOnlyList<object?> OpenStatuses = ["new", "contacted", "qualified"];

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => Predictions.PredictiveFields.Conversion(Submitted(e
        .Label("Lead", "线索")
        .Description("A potential customer not yet qualified, from any channel.", "尚未确认的潜在客户，来自任意渠道。"), findable: true)
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("new", "New", "新线索").Option("contacted", "Contacted", "已联系").Option("qualified", "Qualified", "已确认")
            .Option("unqualified", "Unqualified", "无效").Option("converted", "Converted", "已转化").Default("new").Indexed())
        .Integer("score", f => f.Label("Score", "评分").Range(0, 1000))
        .Picklist("grade", f => f.Label("Grade", "等级").Option("A", "A (hot)", "A（高意向）").Option("B", "B (warm)", "B（中意向）").Option("C", "C (cool)", "C（低意向）").Option("D", "D (cold)", "D（待培育）"))
        .LongText("description", f => f.Label("Notes", "备注"))
        .Text("phoneKey", f => f.Label("Phone (normalised)", "电话（标准化）").MaxLength(40).Indexed())
        .Text("companyKey", f => f.Label("Company (normalised)", "公司名称（标准化）").MaxLength(200).Indexed())
        .Lookup("duplicateOf", Name, f => f.Label("Duplicate of", "重复于").Inverse("duplicates"))
        .Lookup("relatedLead", Name, f => f.Label("Same company as", "同公司线索").Inverse("relatedLeads"))
        .Integer("duplicateCount", f => f.Label("Times captured again", "重复提交次数").Range(0, null).Default("0"))
        .DateTime("lastCapturedAt", f => f.Label("Last captured", "最近提交时间"))
        .Lookup("account", "account", f => f.Label("Existing account", "所属客户").Inverse("leads"))
        .DateTime("assignedAt", f => f.Label("Assigned", "分配时间"))
        .DateTime("lastActivityAt", f => f.Label("Last follow-up", "最近跟进时间"))
        .DateTime("nextFollowUpAt", f => f.Label("Next follow-up", "下次跟进时间"))
        .DateTime("convertedAt", f => f.Label("Converted", "转化时间"))
        .Lookup("convertedAccount", "account", f => f.Label("Converted to account", "转化客户").Inverse("convertedLeads"))
        .Lookup("convertedContact", "contact", f => f.Label("Converted to contact", "转化联系人").Inverse("convertedLeads"))
        .Lookup("convertedOpportunity", "opportunity", f => f.Label("Converted to opportunity", "转化商机").Inverse("convertedLeads"))));

    /// <summary>The fields a person submits: a lead holds them (searchable, indexed), and each capture keeps them as submitted.</summary>
    public static EntityBuilder Submitted(EntityBuilder e, bool findable) => e
        .Text("name", f => Findable(f.Label("Contact name", "联系人姓名").Required().MaxLength(100), findable, field => field.Searchable()))
        .Text("company", f => Findable(f.Label("Company", "公司名称").MaxLength(200), findable, field => field.Searchable()))
        .Text("title", f => f.Label("Job title", "职位").MaxLength(100))
        .Email("email", f => Findable(f.Label("E-mail", "邮箱"), findable, field => field.Indexed()))
        .Phone("phone", f => f.Label("Phone", "电话"))
        .Text("province", f => f.Label("Province", "省份").MaxLength(50))
        .Text("city", f => f.Label("City", "城市").MaxLength(50))
        .Picklist("industry", f => f.Label("Industry", "行业").Industries())
        .Picklist("source", f => Findable(f.Label("Source channel", "线索来源").Sources(), findable, field => field.Indexed()));

    private static FieldBuilder Findable(FieldBuilder field, bool findable, Func<FieldBuilder, FieldBuilder> make) => findable ? make(field) : field;
}
