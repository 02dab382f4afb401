using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>A write in the pipeline as a plugin's validate or before hook sees it.</summary>
internal sealed class RecordContextAdapter(RecordChange change, IRecordApi records) : IRecordContext
{
    public string Entity => change.Entity.Name;

    public RecordOperations Operation => SdkMapping.ToSdk(change.Operation);

    public Guid RecordId => change.RecordId;

    public ICrmIdentity Identity { get; } = SdkMapping.ToSdk(change.Session.Principal);

    public IRecordApi Records => records;

    public IReadOnlyCollection<string> ChangingFields => change.Values.Keys.Where(change.Changes).ToList();

    public object? GetValue(string field) => change.Get(field);

    public object? GetPreviousValue(string field) => change.Previous?.Get(field);

    public bool IsChanging(string field) => change.Changes(field);

    public void SetValue(string field, object? value) => change.Set(field, value);

    public void Reject(string message, string? field = null) => change.Reject(message, field);
}
