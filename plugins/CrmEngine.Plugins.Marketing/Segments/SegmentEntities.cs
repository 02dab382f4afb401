using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>客户细分: a dynamic segment (a filter over leads, contacts or accounts) or a static list, with its exclusions.</summary>
internal static class SegmentEntity
{
    public const string Name = "segment";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Segment", "客户细分")
        .Description("Leads, contacts or accounts picked by a filter (dynamic) or listed by hand (static), less those excluded.", "按筛选条件（动态）或手工名单（静态）选出的线索、联系人或客户，并去除排除项。")
        .Text("name", f => f.Label("Name", "细分名称").Required().MaxLength(200).Searchable())
        .Picklist("entity", f => f.Label("Of", "对象").Option("lead", "Leads", "线索").Option("contact", "Contacts", "联系人").Option("account", "Accounts", "客户").Required())
        .Picklist("kind", f => f.Label("Kind", "类型").Option("dynamic", "Dynamic (a filter)", "动态（筛选条件）").Option("static", "Static list", "静态名单").Default("dynamic"))
        .LongText("filter", f => f.Label("Filter (JSON, the engine's filter language)", "筛选条件（JSON，引擎筛选语言）"))
        .Boolean("excludeOptedOut", f => f.Label("Exclude unsubscribed and bounced", "排除已退订与退信").Default("true"))
        .Integer("maxContacts", f => f.Label("Exclude if contacted more than (times)", "排除接触超过（次）").Range(0, null))
        .Integer("contactWindowDays", f => f.Label("…within the last (days)", "…最近（天）内").Range(1, 3650))
        .Integer("size", f => f.Label("Size at last refresh", "最近刷新人数"))
        .DateTime("refreshedAt", f => f.Label("Last refreshed", "最近刷新时间"))
        .LongText("description", f => f.Label("Notes", "备注")));
}

/// <summary>细分成员: one person in a segment, listed by hand (static) or by the last refresh (dynamic).</summary>
internal static class SegmentMemberEntity
{
    public const string Name = "segmentMember";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => CampaignMemberEntity.People(e
        .Label("Segment member", "细分成员")
        .Description("One lead, contact or account in a segment.", "细分中的一个线索、联系人或客户。")
        .Lookup("segment", SegmentEntity.Name, f => f.Label("Segment", "客户细分").Required().Inverse("members")), "segmentMemberships"));
}
