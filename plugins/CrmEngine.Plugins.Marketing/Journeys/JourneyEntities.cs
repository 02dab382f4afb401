using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// 客户旅程: a nurture flow, edited as a draft (the journey record itself) and run from immutable
/// published versions, so members on v1 finish on v1 while edits make the next version.
/// </summary>
internal static class JourneyEntity
{
    public const string Name = "journey";

    /// <summary>The fields a version copies from the draft when the journey is published.</summary>
    public static readonly string[] Definition = ["entryKind", "entrySegment", "entryCampaign", "entryField", "entryValue", "entryEvent", "steps", "goal", "exitWhen"];

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => DefinitionFields(e
        .Label("Journey", "客户旅程")
        .Description("A nurture flow: who enters, the steps each member goes through, and when they leave.", "培育流程：谁进入、每位成员经历的步骤，以及何时退出。")
        .Text("name", f => f.Label("Name", "旅程名称").Required().MaxLength(200).Searchable())
        .Picklist("of", f => f.Label("Of", "对象").Option("lead", "Leads", "线索").Option("contact", "Contacts", "联系人").Required())
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("draft", "Draft", "草稿").Option("live", "Live", "运行中").Option("paused", "Paused", "已暂停").Default("draft").Indexed())
        .Integer("publishedVersion", f => f.Label("Published version", "已发布版本"))
        .Boolean("hasDraft", f => f.Label("Edited since published", "发布后有修改").Default("false"))
        .LongText("description", f => f.Label("Notes", "备注"))));

    /// <summary>What a journey is defined by; a published version keeps its own copy.</summary>
    public static EntityBuilder DefinitionFields(EntityBuilder e) => e
        .Picklist("entryKind", f => f.Label("Entry", "进入方式")
            .Option("segment", "In a segment", "属于客户细分").Option("leadCreated", "Lead created", "新建线索")
            .Option("formSubmitted", "Form submitted", "提交表单").Option("fieldChanged", "Field changed", "字段变更")
            .Option("customEvent", "Custom event", "自定义事件"))
        .Lookup("entrySegment", SegmentEntity.Name, f => f.Label("Entry segment", "进入细分"))
        .Lookup("entryCampaign", CampaignEntity.Name, f => f.Label("Form's campaign", "表单所属活动"))
        .Text("entryField", f => f.Label("Changed field", "变更字段").MaxLength(100))
        .Text("entryValue", f => f.Label("…to the value", "…变更为").MaxLength(200))
        .Text("entryEvent", f => f.Label("Custom event's name", "自定义事件名称").MaxLength(100))
        .LongText("steps", f => f.Label("Steps (JSON)", "步骤（JSON）"))
        .LongText("goal", f => f.Label("Goal (filter JSON)", "目标（筛选 JSON）"))
        .LongText("exitWhen", f => f.Label("Exit when (filter JSON)", "退出条件（筛选 JSON）"));
}

/// <summary>旅程版本: a published journey's definition, frozen.</summary>
internal static class JourneyVersionEntity
{
    public const string Name = "journeyVersion";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => JourneyEntity.DefinitionFields(e
        .Label("Journey version", "旅程版本")
        .Description("A published journey's definition, frozen: its members finish on it.", "已发布旅程的定义（不可更改）：其成员按此版本走完。")
        .Lookup("journey", JourneyEntity.Name, f => f.Label("Journey", "客户旅程").Required().Inverse("versions"))
        .Integer("number", f => f.Label("Version", "版本号").Required())
        .Text("key", f => f.Label("Journey and version", "旅程与版本").MaxLength(80).Unique())
        .DateTime("publishedAt", f => f.Label("Published", "发布时间"))));
}

/// <summary>旅程成员: one person in a journey, where they are and when their next step is due.</summary>
internal static class JourneyMemberEntity
{
    public const string Name = "journeyMember";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Journey member", "旅程成员")
        .Description("A lead or contact going through a journey: the step they are at and when it is due.", "正在经历旅程的线索或联系人：当前步骤与到期时间。")
        .Lookup("journey", JourneyEntity.Name, f => f.Label("Journey", "客户旅程").Required().Inverse("members"))
        .Lookup("journeyVersion", JourneyVersionEntity.Name, f => f.Label("On version", "所在版本").Required().Inverse("members"))
        .Lookup("lead", "lead", f => f.Label("Lead", "线索").Inverse("journeyMemberships"))
        .Lookup("contact", "contact", f => f.Label("Contact", "联系人").Inverse("journeyMemberships"))
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("active", "In the journey", "进行中").Option("completed", "Completed", "已完成").Option("goalReached", "Goal reached", "已达成目标")
            .Option("exited", "Exited", "已退出").Option("failed", "Stopped by an error", "因错误中止").Default("active").Indexed())
        .Text("currentStep", f => f.Label("Current step", "当前步骤").MaxLength(60))
        .DateTime("nextRunAt", f => f.Label("Next step due", "下一步到期时间").Indexed())
        .DateTime("enteredAt", f => f.Label("Entered", "进入时间"))
        .DateTime("endedAt", f => f.Label("Left", "离开时间"))
        .Text("entryReason", f => f.Label("Entered because", "进入原因").MaxLength(200))
        .Text("key", f => f.Label("Journey and person", "旅程与人员").MaxLength(80).Unique()));
}

/// <summary>
/// 旅程步骤记录: one step one member went through. Its key (member and step) is unique in the
/// store, and the step's effect is written in the same transaction, so a step runs once per member
/// whatever host, retry or restart attempts it again.
/// </summary>
internal static class JourneyStepRunEntity
{
    public const string Name = "journeyStepRun";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Journey step run", "旅程步骤记录")
        .Description("A step a journey member went through, what it did and where it led.", "旅程成员经历的一个步骤、其结果及下一步。")
        .Lookup("member", JourneyMemberEntity.Name, f => f.Label("Member", "旅程成员").Required().Inverse("stepRuns"))
        .Text("step", f => f.Label("Step", "步骤").Required().MaxLength(60))
        .Text("stepType", f => f.Label("Step type", "步骤类型").MaxLength(40))
        .Text("outcome", f => f.Label("Outcome", "结果").MaxLength(500))
        .Text("nextStep", f => f.Label("Next step", "下一步").MaxLength(60))
        .DateTime("ranAt", f => f.Label("Ran", "执行时间").Required())
        .Text("key", f => f.Label("Member and step", "成员与步骤").MaxLength(120).Unique()));
}

/// <summary>Marketing tags on leads and contacts, which journeys add (营销标签).</summary>
internal static class TagFields
{
    public static readonly (string Value, string En, string ZhCn)[] Tags =
    [
        ("nurtured", "Nurtured", "已培育"), ("engaged", "Engaged", "高互动"), ("dormant", "Dormant", "沉睡"),
        ("webinarAttendee", "Webinar attendee", "研讨会参会者"), ("newsletter", "Newsletter", "订阅简报"), ("handedOver", "Handed to sales", "已移交销售"),
    ];

    /// <summary>
    /// Adds the tags field to a lead or contact; called from the one extension the module declares on
    /// each (ScoreFields), since a second extension of the same entity would replace the first.
    /// </summary>
    public static EntityBuilder Add(EntityBuilder e) => e.MultiPicklist("marketingTags", f =>
    {
        f.Label("Marketing tags", "营销标签");
        foreach (var (value, en, zhCn) in Tags)
        {
            f.Option(value, en, zhCn);
        }
    });
}
