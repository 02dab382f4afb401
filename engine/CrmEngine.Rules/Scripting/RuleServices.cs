using CrmEngine.Engine;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Rules.Functions;
using CrmEngine.Rules.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Scripting;

/// <summary>What the <c>crm</c> API of every run uses.</summary>
internal sealed class RuleServices(IServiceProvider services, RecordReader reader, Notifications notifications, IEnumerable<IRuleFunctionProvider> providers, IOptions<CrmEngineOptions> engine, TimeProvider time)
{
    // Lazy because of a cyclic dependency: the pipeline runs the rule hook, which runs rules, which write through the pipeline.
    private readonly Lazy<RecordPipeline> _pipeline = new(services.GetRequiredService<RecordPipeline>);

    public RecordReader Reader { get; } = reader;

    public RecordPipeline Pipeline => _pipeline.Value;

    public Notifications Notifications { get; } = notifications;

    public TimeProvider Time { get; } = time;

    public IReadOnlyList<IRuleFunctionProvider> FunctionProviders { get; } = providers.ToList();

    public int MaxPageSize => engine.Value.MaxPageSize;
}
