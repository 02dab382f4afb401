using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Routing;

/// <summary>服务队列 and 客服坐席: where cases wait, and the agents (a user each, its owner) who take them, with skills, languages, presence and a cap.</summary>
internal static class RoutingEntities
{
    public const string Queue = "serviceQueue";
    public const string Agent = "serviceAgent";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Queue, e => e
            .Label("Service queue", "服务队列")
            .Description("Where cases of a kind wait for an agent of the queue.", "某类工单等待本队列坐席处理的地方。")
            .Text("name", f => f.Label("Name", "名称").Required().Unique().MaxLength(100))
            .LongText("description", f => f.Label("Description", "说明")));
        builder.Entity(Agent, e => e
            .Label("Service agent", "客服坐席")
            .Description("A user who works cases (the record's owner), with what they can handle and whether they can take one now.", "处理工单的用户（记录负责人），及其技能、语言与在线状态。")
            .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100))
            .Lookup("queue", Queue, f => f.Label("Queue", "所属队列").Inverse("agents"))
            .Text("skills", f => f.Label("Skills (comma-separated)", "技能（逗号分隔）").MaxLength(500))
            .MultiPicklist("languages", f => f.Label("Languages", "服务语言").Languages())
            .Picklist("presence", f => f.Label("Presence", "在线状态")
                .Option("online", "Online", "在线").Option("busy", "Busy", "忙碌").Option("away", "Away", "离开").Option("offline", "Offline", "离线")
                .Default("offline").Indexed())
            .Integer("maxOpenCases", f => f.Label("Most open cases", "最多在办工单数").Range(1, 1000).Default("10"))
            .DateTime("lastAssignedAt", f => f.Label("Last assigned", "最近分配时间")));
    }

    /// <summary>The languages cases are written in and agents serve.</summary>
    public static Sdk.Metadata.FieldBuilder Languages(this Sdk.Metadata.FieldBuilder field) =>
        field.Option("zh", "Chinese", "中文").Option("en", "English", "英语").Option("ja", "Japanese", "日语").Option("ko", "Korean", "韩语");
}
