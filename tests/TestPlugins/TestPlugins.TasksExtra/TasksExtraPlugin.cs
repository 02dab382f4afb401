using CrmEngine.Sdk.Plugins;

namespace TestPlugins.TasksExtra;

/// <summary>
/// Adds an estimate and the hours spent to the tasks plugin's entity: a plugin extending its
/// dependency, in two calls (each adds its fields).
/// </summary>
public sealed class TasksExtraPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder) => builder
        .ExtendEntity("task", e => e.Decimal("estimateHours", f => f.Label("Estimate (hours)", "预计工时").Scale(1).Range(0, 1000)))
        .ExtendEntity("task", e => e.Decimal("spentHours", f => f.Label("Hours spent", "已用工时").Scale(1).Range(0, 1000)));
}
