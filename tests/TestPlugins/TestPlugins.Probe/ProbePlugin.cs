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

/// <summary>
/// A group named "batch:a,b,c" creates its items a, b and c in one CreateManyAsync call inside its own
/// write (SDK 0.3); one named with a trailing "!" is then refused, and its items go with it.
/// </summary>
public sealed class BatchGroupHook : IBeforeRecordHook
{
    /// <inheritdoc/>
    public string Entity => "probeGroup";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create;

    /// <inheritdoc/>
    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("name") is not string name || !name.StartsWith("batch:", StringComparison.Ordinal))
        {
            return;
        }

        var names = name["batch:".Length..].TrimEnd('!').Split(',');
        var outcomes = await record.Records.CreateManyAsync("probeItem", names.Select(n => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["name"] = n.Length == 0 ? null : n }).ToList(), cancellationToken);
        if (name.EndsWith('!'))
        {
            record.Reject($"Refused after creating {outcomes.Count(o => o.Succeeded)} items.");
        }
    }
}
