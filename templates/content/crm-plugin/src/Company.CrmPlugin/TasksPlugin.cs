using CrmEngine.Sdk.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Company.CrmPlugin;

/// <summary>
/// The plugin's entry point: declares its entities. Names start with your vendor prefix, so they
/// never clash with another plugin's; every entity and field has English and Chinese labels.
/// </summary>
public sealed class TasksPlugin : ICrmPlugin
{
    /// <summary>The task entity's name.</summary>
    public const string Task = "vendorprefixTask";

    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity(Task, e => e
            .Label("Task", "任务")
            .Text("title", f => f.Label("Title", "标题").Required().MaxLength(80))
            .Picklist("status", f => f.Label("Status", "状态")
                .Option("open", "Open", "未完成").Option("done", "Done", "已完成").Default("open").Indexed())
            .Integer("priority", f => f.Label("Priority", "优先级").Range(1, 5)));
    }

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        // Register your own services here; hooks and operations take them in their constructors.
    }
}
