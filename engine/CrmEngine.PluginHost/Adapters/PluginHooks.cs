using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Failures;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Notifications;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// A plugin's validate or before hook in the engine's pipeline. It applies only where the plugin is
/// enabled. Its typed refusals (<see cref="OperationException"/>) refuse the write with their own
/// code, message and field (<see cref="PluginFailures.Refused"/>); its failures are reported
/// (<see cref="PluginFailures"/>) and refuse the write with PLUGIN_ERROR naming the plugin and the
/// correlation id; <see cref="IRecordContext.Reject"/> and the engine's refusals pass to the pipeline.
/// </summary>
internal sealed class PluginRecordHook : IRecordHook
{
    private readonly IRecordHookTarget _target;
    private readonly RecordApiFactory _records;
    private readonly PluginFailures _failures;
    private readonly Tenants.PluginServing _serving;

    public PluginRecordHook(string pluginId, IRecordHookTarget target, RecordApiFactory records, PluginFailures failures, Tenants.PluginServing serving)
    {
        Source = pluginId;
        _target = target;
        _records = records;
        _failures = failures;
        _serving = serving;
    }

    public string Source { get; }

    public int Order => _target.Order;

    public bool AppliesTo(RecordChange change) =>
        change.Entity.Name == _target.Entity
        && _target.Operations.HasFlag(SdkMapping.ToSdk(change.Operation))
        && change.Session.Metadata.IsPluginEnabled(Source);

    public Task ValidateAsync(RecordChange change, CancellationToken cancellationToken) =>
        _target is IRecordValidator validator ? GuardAsync(change, "validator", () => validator.ValidateAsync(Context(change), cancellationToken)) : Task.CompletedTask;

    public Task BeforeAsync(RecordChange change, CancellationToken cancellationToken) =>
        _target is IBeforeRecordHook before ? GuardAsync(change, "before hook", () => before.BeforeAsync(Context(change), cancellationToken)) : Task.CompletedTask;

    private async Task GuardAsync(RecordChange change, string stage, Func<Task> hook)
    {
        // A version of the plugin that doesn't match the tenant's metadata never runs on its writes.
        if (_serving.Refusal(change.Session.TenantId, change.Session.Metadata, Source) is { } refusal)
        {
            throw new CrmException(refusal);
        }

        try
        {
            await hook();
        }
        catch (OperationException e)
        {
            throw new CrmException(_failures.Refused(Source, Where(change, stage), change.Session.TenantId, e, "Nothing was written."));
        }
        catch (Exception e) when (PluginFailures.IsFailure(e))
        {
            throw _failures.Report(Source, Where(change, stage), change.Session.TenantId, e, "Nothing was written.").Refusal();
        }
    }

    private string Where(RecordChange change, string stage) =>
        $"in its {stage} ({_target.GetType().Name}) for this {change.Entity.Name} {change.Operation.ToString().ToLowerInvariant()}";

    private RecordContextAdapter Context(RecordChange change) => new(change, _records, Source);
}

/// <summary>
/// Hands committed changes to one plugin's after hooks, in their order, where the plugin is enabled
/// on the change's tenant. Each plugin is a handler of its own, so a change another plugin or an
/// after-rule failed is not handed to this one again once it handled it. A hook's failure is
/// reported (<see cref="PluginFailures"/>) and the outbox retries the change, keeping only the
/// client-safe message as its last error.
/// </summary>
internal sealed class PluginAfterHooks(string pluginId, IEnumerable<IAfterRecordHook> hooks, TenantRegistry tenants, RecordApiFactory records, PluginFailures failures, Tenants.PluginServing serving)
    : IRecordChangeHandler
{
    /// <summary>How long a change waits when the plugin's version and the tenant's metadata differ (an upgrade is under way).</summary>
    private static readonly TimeSpan UpgradeWait = TimeSpan.FromSeconds(5);

    private readonly (IAfterRecordHook Hook, string PluginId)[] _hooks = hooks
        .Select(h => (h, pluginId))
        .OrderBy(h => h.h.Order)
        .ToArray();

    public string Name { get; } = "plugin:" + pluginId;

    public async Task HandleAsync(RecordEvent change, CancellationToken cancellationToken)
    {
        if (_hooks.Length == 0)
        {
            return;
        }

        var store = await tenants.GetAsync(change.TenantId, cancellationToken);
        // After-hooks work for whoever made the change: records they give that principal may be theirs.
        var session = new CrmSession(store, CrmPrincipal.System(change.TenantId)) { OnBehalfOf = change.Actor };
        if (serving.Refusal(change.TenantId, session.Metadata, pluginId) is { } refusal)
        {
            // Put off, not failed: the change is handed over again once the versions agree (here or on another host).
            throw new RetryLaterException(refusal.Message, UpgradeWait);
        }

        RecordEventAdapter? adapter = null;
        foreach (var (hook, pluginId) in _hooks)
        {
            if (hook.Entity == change.Entity && hook.Operations.HasFlag(SdkMapping.ToSdk(change.Operation)) && session.Metadata.IsPluginEnabled(pluginId))
            {
                adapter ??= new RecordEventAdapter(change, records.For(session), records.Directory(session), records.Notifier(session), records.Messaging(session), records.Settings(session, pluginId));
                try
                {
                    await hook.AfterAsync(adapter, cancellationToken);
                }
                catch (Exception e) when (PluginFailures.IsFailure(e))
                {
                    var where = $"in its after hook ({hook.GetType().Name}) for {change.Entity} {change.RecordId} ({change.Operation.ToString().ToLowerInvariant()})";
                    throw failures.Report(pluginId, where, change.TenantId, e, "The change will be tried again.").Refusal();
                }
            }
        }
    }

    private sealed class RecordEventAdapter(RecordEvent change, IRecordApi records, IUserDirectory directory, INotifier notifier, Sdk.Messaging.IMessaging messaging, IPluginSettings settings) : IRecordEvent
    {
        public string Entity => change.Entity;

        public Guid RecordId => change.RecordId;

        public RecordOperations Operation => SdkMapping.ToSdk(change.Operation);

        public long Version => change.Version;

        public DateTime At => change.At;

        public IReadOnlyList<FieldChangeInfo> Changes { get; } = ReadChanges(change.ChangesJson);

        public ICrmIdentity Identity { get; } = SdkMapping.ToSdk(new CrmPrincipal(change.TenantId, change.Actor ?? CrmPrincipal.SystemUserId, null, []));

        public IRecordApi Records => records;

        public IUserDirectory Directory => directory;

        public INotifier Notifications => notifier;

        public Sdk.Messaging.IMessaging Messaging => messaging;

        public IPluginSettings Settings => settings;

        private static List<FieldChangeInfo> ReadChanges(string json) =>
            JsonSerializer.Deserialize<List<JsonElement>>(json)!.Select(c => new FieldChangeInfo(
                c.GetProperty("field").GetString()!,
                Raw(c, "old"),
                Raw(c, "new"))).ToList();

        private static string? Raw(JsonElement change, string name) =>
            change.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;
    }
}
