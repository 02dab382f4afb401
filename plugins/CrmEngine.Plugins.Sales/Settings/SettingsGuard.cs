using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Sales.Settings;

/// <summary>Keeps the settings a single record: a second one can't be created and the one can't be deleted.</summary>
internal sealed class SettingsGuard : IRecordValidator
{
    public string Entity => SalesSettingsEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Delete;

    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Delete)
        {
            record.Reject("The sales settings can't be deleted; change them instead.");
        }
        else if ((await record.Records.FindAsync(SalesSettingsEntity.Name, null, 1, cancellationToken)).Count > 0)
        {
            record.Reject("This tenant already has its sales settings record; update it instead.");
        }
    }
}
