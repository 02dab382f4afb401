using CrmEngine.Engine;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Records;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// The SDK's record API over the engine's reader and pipeline, for one session: plugin writes take
/// exactly the path API writes take, and inside an open write they join it.
/// </summary>
internal sealed class RecordApi(CrmSession session, RecordReader reader, RecordPipeline pipeline, CrmEngineOptions options) : IRecordApi
{
    public async Task<CrmRecord?> GetAsync(string entity, Guid id, CancellationToken cancellationToken = default) =>
        await reader.GetAsync(session, entity, id, includeDeleted: false, cancellationToken) is { } record ? new RecordAdapter(record) : null;

    public async Task<IReadOnlyList<CrmRecord>> FindAsync(string entity, Condition? where = null, int first = 100, CancellationToken cancellationToken = default)
    {
        var query = new RecordQuery(entity)
        {
            Filter = where is null ? null : SdkMapping.ToEngine(where),
            First = Math.Clamp(first, 0, options.MaxPageSize),
        };
        var page = await reader.ListAsync(session, query, cancellationToken);
        return page.Edges.Select(e => (CrmRecord)new RecordAdapter(e.Record)).ToList();
    }

    public async Task<WriteOutcome> CreateAsync(string entity, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default) =>
        Map(await pipeline.CreateAsync(session, entity, values, cancellationToken));

    public async Task<WriteOutcome> UpdateAsync(string entity, Guid id, IReadOnlyDictionary<string, object?> values, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Map(await pipeline.UpdateAsync(session, entity, id, expectedVersion, values, cancellationToken));

    public async Task<WriteOutcome> DeleteAsync(string entity, Guid id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Map(await pipeline.DeleteAsync(session, entity, id, expectedVersion, cancellationToken));

    private static WriteOutcome Map(WriteResult result) =>
        new(result.Record is null ? null : new RecordAdapter(result.Record), result.Errors.Select(SdkMapping.ToSdk).ToList());
}

/// <summary>
/// Makes record APIs for sessions. The pipeline is resolved on first use: it depends on the plugin
/// hooks, which depend on this factory.
/// </summary>
public sealed class RecordApiFactory(RecordReader reader, IServiceProvider services, Microsoft.Extensions.Options.IOptions<CrmEngineOptions> options)
{
    private RecordPipeline? _pipeline;

    public IRecordApi For(CrmSession session) =>
        new RecordApi(session, reader, _pipeline ??= services.GetRequiredService<RecordPipeline>(), options.Value);
}
