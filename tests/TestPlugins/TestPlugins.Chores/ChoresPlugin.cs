using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace TestPlugins.Chores;

/// <summary>A log entity the jobs and hook write, and one setting of every type (one a secret).</summary>
public sealed class ChoresPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("choreLog", e => e
            .Label("Chore log", "杂务日志")
            .Text("message", f => f.Label("Message", "消息").Required())
            .Text("note", f => f.Label("Note", "备注")));
        builder
            .Setting("greeting", SettingType.String, s => s.Label("Greeting", "问候语").Description("What the log notes say", "日志备注的内容").Default("Hello"))
            .Setting("batchSize", SettingType.Integer, s => s.Label("Batch size", "批大小").Default(10))
            .Setting("rate", SettingType.Decimal, s => s.Label("Rate", "费率").Default(1.5m))
            .Setting("loud", SettingType.Boolean, s => s.Label("Loud", "大声").Default(false))
            .Setting("tier", SettingType.Picklist, s => s.Label("Tier", "级别").Option("basic", "Basic", "基础").Option("pro", "Pro", "专业").Default("basic"))
            .Setting("apiKey", SettingType.String, s => s.Label("API key", "API 密钥").Secret());
    }

    /// <summary>Every setting as the plugin reads it, in one line.</summary>
    public static async Task<string> DescribeAsync(IPluginSettings settings, CancellationToken cancellationToken) =>
        $"{await settings.GetAsync<string>("greeting", cancellationToken)} {await settings.GetAsync<long>("batchSize", cancellationToken)} "
        + $"{await settings.GetAsync<decimal>("rate", cancellationToken)} {await settings.GetAsync<bool>("loud", cancellationToken)} "
        + $"{await settings.GetAsync<string>("tier", cancellationToken)} key={await settings.GetAsync<string>("apiKey", cancellationToken) ?? "none"}";
}

/// <summary>A log entry written without a note gets the tenant's greeting setting as its note.</summary>
public sealed class GreetingNote : IBeforeRecordHook
{
    /// <inheritdoc/>
    public string Entity => "choreLog";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create;

    /// <inheritdoc/>
    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("note") is null)
        {
            record.SetValue("note", await record.Settings.GetAsync<string>("greeting", cancellationToken));
        }
    }
}
