using CrmEngine.Engine.Records;
using CrmEngine.PluginHost.Failures;
using CrmEngine.Rules.Functions;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Rules;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// A plugin's <see cref="IRuleFunction"/>s offered to tenant rules as <c>crm.plugins.&lt;plugin&gt;.&lt;fn&gt;</c>
/// (dashes in plugin ids become camelCase), on tenants that enable the plugin. A function's failure
/// is reported (<see cref="PluginFailures"/>) and reaches the script as PLUGIN_ERROR naming the
/// plugin and the correlation id.
/// </summary>
internal sealed class PluginRuleFunctions : IRuleFunctionProvider
{
    private readonly string _pluginId;

    public PluginRuleFunctions(string pluginId, IEnumerable<IRuleFunction> functions, RecordApiFactory records, PluginFailures failures, Tenants.PluginServing serving)
    {
        _pluginId = pluginId;
        Name = JsName(pluginId);
        Functions = functions.Select(f => new RuleFunction(f.Name, f.Description, async (call, cancellationToken) =>
        {
            if (serving.Refusal(call.Context.Session.TenantId, call.Context.Session.Metadata, pluginId) is { } refusal)
            {
                throw new Engine.Errors.CrmException(refusal);
            }

            try
            {
                return await f.InvokeAsync(new Context(SdkMapping.ToSdk(call.Context.Session.Principal), records.For(call.Context.Session), records.Directory(call.Context.Session)), call.Arguments, cancellationToken);
            }
            catch (Exception e) when (PluginFailures.IsFailure(e))
            {
                throw failures.Report(pluginId, $"in its rule function {f.Name} (called by rule '{call.Context.RuleName}')", call.Context.Session.TenantId, e).Refusal();
            }
        })).ToList();
    }

    public string Name { get; }

    public IReadOnlyList<RuleFunction> Functions { get; }

    public bool IsAvailableTo(CrmSession session) => session.Metadata.IsPluginEnabled(_pluginId);

    private static string JsName(string pluginId)
    {
        var parts = pluginId.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private sealed record Context(ICrmIdentity Identity, IRecordApi Records, IUserDirectory Directory) : IRuleFunctionContext;
}
