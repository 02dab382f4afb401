using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Notifications;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>A write in the pipeline as a plugin's validate or before hook sees it.</summary>
internal sealed class RecordContextAdapter(RecordChange change, RecordApiFactory factory, string pluginId) : IRecordContext
{
    public string Entity => change.Entity.Name;

    public RecordOperations Operation => SdkMapping.ToSdk(change.Operation);

    public Guid RecordId => change.RecordId;

    public ICrmIdentity Identity { get; } = SdkMapping.ToSdk(change.Session.Principal);

    public IRecordApi Records => field ??= factory.For(change.Session);

    public IRecordApi PrivilegedRecords => field ??= factory.Privileged(change.Session);

    public IUserDirectory Directory => field ??= factory.Directory(change.Session);

    public INotifier Notifications => field ??= factory.Notifier(change.Session);

    public Sdk.Messaging.IMessaging Messaging => field ??= factory.Messaging(change.Session);

    public IPluginSettings Settings => field ??= factory.Settings(change.Session, pluginId);

    // The write's own scope is ambient while its hooks run; it has a parent when another write, a
    // rule or a plugin operation made it. Jobs, seeds and after-hooks write as the system user.
    public bool IsDirect { get; } = WriteScope.For(change.Session)?.IsCausedByWrite != true && change.Session.Principal.UserId != CrmPrincipal.SystemUserId;

    public IReadOnlyCollection<string> ChangingFields => change.Values.Keys.Where(change.Changes).ToList();

    public object? GetValue(string field) => field switch
    {
        // On create without an owner the pipeline makes the writer the owner.
        SystemFields.OwnerId => change.Values.GetValueOrDefault(field) ?? change.Previous?.OwnerId ?? (change.Previous is null ? change.Session.Principal.UserId : null),
        _ when change.Entity.FindAnyField(field) is null && SystemFields.All.Contains(field) => System(change.Previous, field),
        _ => change.Get(field),
    };

    public object? GetPreviousValue(string field) => SystemFields.All.Contains(field) && change.Entity.FindAnyField(field) is null
        ? System(change.Previous, field)
        : change.Previous?.Get(field);

    public bool IsChanging(string field) => change.Changes(field);

    public void SetValue(string field, object? value) => change.Set(field, value);

    public void Reject(string message, string? field = null) => change.Reject(message, field);

    private static object? System(Engine.Records.RecordData? record, string field) => record is null ? null : field switch
    {
        SystemFields.Id => record.Id,
        SystemFields.OwnerId => record.OwnerId,
        SystemFields.CreatedAt => record.CreatedAt,
        SystemFields.UpdatedAt => record.UpdatedAt,
        SystemFields.CreatedBy => record.CreatedBy,
        SystemFields.UpdatedBy => record.UpdatedBy,
        SystemFields.Version => record.Version,
        _ => record.DeletedAt,
    };
}
