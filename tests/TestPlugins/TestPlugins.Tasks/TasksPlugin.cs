using CrmEngine.Sdk.Plugins;

namespace TestPlugins.Tasks;

/// <summary>Declares the task entity and a log of task events.</summary>
public sealed class TasksPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("task", e => e
            .Label("Task", "任务")
            .Text("title", f => f.Label("Title", "标题").Required().MaxLength(80))
            .Picklist("status", f => f.Label("Status", "状态").Option("open", "Open", "未完成").Option("done", "Done", "已完成").Default("open").Indexed())
            .Integer("priority", f => f.Label("Priority", "优先级").Range(1, 5))
            .Date("dueOn", f => f.Label("Due on", "截止日期"))
            .AutoNumber("code", "TSK-{000}", f => f.Label("Code", "编号")));
        builder.Entity("taskEvent", e => e
            .Label("Task event", "任务事件")
            .Text("message", f => f.Label("Message", "消息").Required())
            .Lookup("task", "task", f => f.Label("Task", "任务").Inverse("events")));
    }
}
