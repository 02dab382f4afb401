using CrmEngine.Engine;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Rules.Functions;
using CrmEngine.Rules.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Scripting;

/// <summary>What the <c>crm</c> API of every run uses.</summary>
internal sealed class RuleServices(IServiceProvider services, RecordReader reader, Notifications notifications, IEnumerable<IRuleFunctionProvider> providers, IEnumerable<IRuleFunctionProviderSource> sources, IOptions<CrmEngineOptions> engine, TimeProvider time)
{
    // Lazy because of a cyclic dependency: the pipeline runs the rule hook, which runs rules, which write through the pipeline.
    private readonly Lazy<RecordPipeline> _pipeline = new(services.GetRequiredService<RecordPipeline>);

    public RecordReader Reader { get; } = reader;

    public RecordPipeline Pipeline => _pipeline.Value;

    public Notifications Notifications { get; } = notifications;

    public TimeProvider Time { get; } = time;

    private readonly IRuleFunctionProvider[] _registered = providers.ToArray();
    private readonly IRuleFunctionProviderSource[] _sources = sources.ToArray();

    /// <summary>The providers registered as services, then the sources' current ones.</summary>
    public IEnumerable<IRuleFunctionProvider> FunctionProviders => _sources.Length == 0 ? _registered : _registered.Concat(_sources.SelectMany(s => s.Providers));

    public int MaxPageSize => engine.Value.MaxPageSize;
}
