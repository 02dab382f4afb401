using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.PluginHost.Settings;
using CrmEngine.Rules.Logging;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Notifications;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;
using Microsoft.Extensions.DependencyInjection;
using SdkAggregateResult = CrmEngine.Sdk.Records.AggregateResult;
using SdkRecordQuery = CrmEngine.Sdk.Records.RecordQuery;
using RecordPage = CrmEngine.Sdk.Records.RecordPage;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// The SDK's record API over the engine's reader, aggregator and pipeline, for one session: plugin
/// writes take exactly the path API writes take, and inside an open write they join it.
/// </summary>
internal sealed class RecordApi(CrmSession session, RecordReader reader, RecordAggregator aggregator, RecordPipeline pipeline, RecordBatch batch, CrmEngineOptions options) : IRecordApi, IEntityPresence, IFieldHistory, IRecordBatchUpdates
{
    public async Task<CrmRecord?> GetAsync(string entity, Guid id, CancellationToken cancellationToken = default) =>
        await reader.GetAsync(session, entity, id, includeDeleted: false, cancellationToken) is { } record ? new RecordAdapter(record) : null;

    public bool HasEntity(string entity) => session.Metadata.Find(entity) is not null;

    public IAsyncEnumerable<FieldChangeEntry> FieldChangesAsync(string entity, string field, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default) =>
        FieldHistoryReads.ReadAsync(session, reader, entity, field, fromUtc, toUtc, cancellationToken);

    public async Task<IReadOnlyList<CrmRecord>> FindAsync(string entity, Condition? where = null, int first = 100, CancellationToken cancellationToken = default) =>
        (await QueryAsync(entity, new SdkRecordQuery { Where = where, First = first }, cancellationToken)).Records;

    public async Task<RecordPage> QueryAsync(string entity, SdkRecordQuery query, CancellationToken cancellationToken = default)
    {
        var page = await reader.ListAsync(session, new Engine.Records.Querying.RecordQuery(entity)
        {
            Filter = query.Where,
            OrderBy = query.OrderBy.Select(SdkMapping.ToEngine).ToList(),
            First = Math.Clamp(query.First, 0, options.MaxPageSize),
            After = query.After,
            IncludeTotalCount = query.IncludeTotalCount,
        }, cancellationToken);
        return new RecordPage(page.Edges.Select(e => (CrmRecord)new RecordAdapter(e.Record)).ToList(), page.HasNextPage, page.EndCursor, page.TotalCount);
    }

    public async Task<SdkAggregateResult> AggregateAsync(string entity, AggregateRequest request, CancellationToken cancellationToken = default)
    {
        var result = await aggregator.AggregateAsync(session, new AggregateQuery(entity, request with { GroupLimit = Math.Clamp(request.GroupLimit, 1, options.MaxAggregateGroups) }), cancellationToken);
        var totals = result.Totals ?? new AggregateRow([], 0, new Dictionary<Aggregate, object?>());
        return new SdkAggregateResult(SdkMapping.ToSdk(totals, request.Values), result.Groups.Select(g => SdkMapping.ToSdk(g, request.Values)).ToList(), result.HasMoreGroups);
    }

    public async Task<WriteOutcome> CreateAsync(string entity, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default) =>
        Map(await pipeline.CreateAsync(session, entity, values, cancellationToken));

    public async Task<IReadOnlyList<WriteOutcome>> CreateManyAsync(string entity, IReadOnlyList<IReadOnlyDictionary<string, object?>> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return (await batch.CreateEachAsync(session, entity, items, cancellationToken)).Select(r => Map(r.Result)).ToList();
    }

    public async Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(string entity, IReadOnlyList<RecordUpdate> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return (await batch.UpdateEachAsync(session, entity, items.Select(Item).ToList(), cancellationToken)).Select(r => Map(r.Result)).ToList();
    }

    public async Task<WriteOutcome> UpdateAsync(string entity, Guid id, IReadOnlyDictionary<string, object?> values, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Map(await pipeline.UpdateAsync(session, entity, id, expectedVersion, values, cancellationToken));

    public async Task<WriteOutcome> DeleteAsync(string entity, Guid id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Map(await pipeline.DeleteAsync(session, entity, id, expectedVersion, cancellationToken));

    /// <summary>An update item for the engine's bulk writer; the empty id names no record, so it is refused as one that doesn't exist.</summary>
    private static BulkItem Item(RecordUpdate update) =>
        new(update.Values, update.Id, update.ExpectedVersion, update.Id == Guid.Empty ? [new Engine.Errors.CrmError(Engine.Errors.ErrorCodes.NotFound, "An update needs the id of a record.", "id")] : null);

    private static WriteOutcome Map(WriteResult result) =>
        new(result.Record is null ? null : new RecordAdapter(result.Record), result.Errors.Select(SdkMapping.ToSdk).ToList());
}

/// <summary>
/// Makes the SDK's services for sessions: record APIs (as the caller, or privileged), the user
/// directory, the notifier and messaging. The pipeline (and the bulk writer over it) is resolved on first use: it depends on the plugin
/// hooks, which depend on this factory.
/// </summary>
public sealed class RecordApiFactory(RecordReader reader, RecordAggregator aggregator, IdentityDirectory identities, Notifications notifications, IServiceProvider services, Microsoft.Extensions.Options.IOptions<CrmEngineOptions> options)
{
    private RecordPipeline? _pipeline;
    private RecordBatch? _batch;

    public IRecordApi For(CrmSession session) =>
        new RecordApi(session, reader, aggregator, _pipeline ??= services.GetRequiredService<RecordPipeline>(), _batch ??= services.GetRequiredService<RecordBatch>(), options.Value);

    /// <summary>
    /// A record API with full record permissions that still acts as, and is attributed to, the
    /// session's user: the caller keeps its user id (audit, created-by, default owner) and gains the
    /// admin role for this API only.
    /// </summary>
    public IRecordApi Privileged(CrmSession session) =>
        session.Principal.IsAdmin ? For(session) : For(new CrmSession(session.Store, session.Principal with { Roles = [.. session.Principal.Roles, CrmPrincipal.AdminRole] }));

    public ISeedDirectory Directory(CrmSession session) => new DirectoryAdapter(session.Store, identities);

    public INotifier Notifier(CrmSession session) => new NotifierAdapter(session, notifications);

    /// <summary>An engine record as plugins see it.</summary>
    public static CrmRecord Present(RecordData record) => new RecordAdapter(record);

    /// <summary>The approval service acting as the session's caller; without one installed (AddCrmApprovals), its calls are refused.</summary>
    public Sdk.Approvals.IApprovals Approvals(CrmSession session) =>
        services.GetService<IPluginApprovals>()?.ActingAs(session) ?? throw new CrmEngine.Sdk.Operations.OperationException(Engine.Errors.ErrorCodes.InvalidInput, "This host runs without the approval service.");

    /// <summary>The messaging service acting as the session's caller: messages queue in the caller's write when there is one.</summary>
    public Sdk.Messaging.IMessaging Messaging(CrmSession session) => new MessagingAdapter(session, services.GetRequiredService<CrmEngine.Messaging.Outbox.MessageOutbox>());

    /// <summary>Generated documents acting as the session's caller.</summary>
    public Sdk.Documents.IDocuments Documents(CrmSession session) =>
        new DocumentsAdapter(session, services.GetRequiredService<CrmEngine.Documents.DocumentGenerator>(), services.GetRequiredService<CrmEngine.Documents.Templates.DocumentTemplateService>());

    /// <summary>The plugin's settings on the session's tenant.</summary>
    public IPluginSettings Settings(CrmSession session, string pluginId) => services.GetRequiredService<PluginSettingsStore>().For(session.Store, pluginId);
}

/// <summary>What plugins reach of the approval service (engine/CrmEngine.Approvals implements it): the SDK's <see cref="Sdk.Approvals.IApprovals"/> acting as a session's caller, and the processes plugins declare.</summary>
public interface IPluginApprovals
{
    Sdk.Approvals.IApprovals ActingAs(CrmSession session);
}
