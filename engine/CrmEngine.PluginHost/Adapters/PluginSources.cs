using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Rules.Functions;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Rules;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>The loaded plugins' validate and before hooks, in the pipeline; a reload replaces them.</summary>
internal sealed class PluginHookSource : IRecordHookSource
{
    private readonly PluginCatalog _catalog;
    // Made once: Hooks is asked for on every write.
    private readonly Func<PluginCatalog, IReadOnlyList<IRecordHook>> _build;

    public PluginHookSource(PluginCatalog catalog, RecordApiFactory records, PluginFailures failures, PluginServing serving)
    {
        _catalog = catalog;
        _build = c => c.Implementations<IRecordHookTarget>()
            .Where(h => h.Instance is IRecordValidator or IBeforeRecordHook)
            .Select(h => (IRecordHook)new PluginRecordHook(h.PluginId, h.Instance, records, failures, serving))
            .ToList();
    }

    public IReadOnlyList<IRecordHook> Hooks => _catalog.Derived(typeof(PluginHookSource), _build);
}

/// <summary>The loaded plugins' after hooks, one outbox handler per plugin; a reload replaces them.</summary>
internal sealed class PluginAfterHookSource(PluginCatalog catalog, TenantRegistry tenants, RecordApiFactory records, PluginFailures failures, PluginServing serving)
    : IRecordChangeHandlerSource
{
    public IReadOnlyList<IRecordChangeHandler> Handlers => catalog.Derived(typeof(PluginAfterHookSource), c => c.Implementations<IAfterRecordHook>()
        .GroupBy(h => h.PluginId, StringComparer.Ordinal)
        .Select(g => (IRecordChangeHandler)new PluginAfterHooks(g.Key, g.Select(h => h.Instance), tenants, records, failures, serving))
        .ToList());
}

/// <summary>The loaded plugins' rule functions, one provider per plugin; a reload replaces them.</summary>
internal sealed class PluginRuleFunctionSource(PluginCatalog catalog, RecordApiFactory records, PluginFailures failures, PluginServing serving) : IRuleFunctionProviderSource
{
    public IReadOnlyList<IRuleFunctionProvider> Providers => catalog.Derived(typeof(PluginRuleFunctionSource), c => c.Implementations<IRuleFunction>()
        .GroupBy(f => f.PluginId, StringComparer.Ordinal)
        .Select(g => (IRuleFunctionProvider)new PluginRuleFunctions(g.Key, g.Select(f => f.Instance), records, failures, serving))
        .ToList());
}
