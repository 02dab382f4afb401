using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Probe;

/// <summary>Items in groups: enough field types to try every query operator and aggregate.</summary>
public sealed class ProbePlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("probeGroup", e => e
            .Label("Probe group", "探针分组")
            .Text("name", f => f.Label("Name", "名称").Required()));
        builder.Entity("probeItem", e => e
            .Label("Probe item", "探针条目")
            .Text("name", f => f.Label("Name", "名称").Required())
            .Integer("score", f => f.Label("Score", "分数"))
            .Money("amount", f => f.Label("Amount", "金额").Currency("CNY"))
            .Date("day", f => f.Label("Day", "日期"))
            .MultiPicklist("tags", f => f.Label("Tags", "标签").Option("a", "A", "甲").Option("b", "B", "乙").Option("c", "C", "丙"))
            .Lookup("group", "probeGroup", f => f.Label("Group", "分组").Inverse("items"))
            .Boolean("direct", f => f.Label("Written directly", "直接写入")));
    }
}

/// <summary>Records whether the write came straight from a client (IsDirect) and what GetValue says of system fields.</summary>
public sealed class DirectnessHook : IBeforeRecordHook
{
    /// <inheritdoc/>
    public string Entity => "probeItem";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create;

    /// <inheritdoc/>
    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        record.SetValue("direct", record.IsDirect && record.GetValue("ownerId") is Guid);
        return Task.CompletedTask;
    }
}
