using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Sales.Accounts;

/// <summary>
/// Keeps an account's duplicate key and the time its owner took it; pool state changes only through
/// the pool operations and job (claimAccount, releaseAccount, assignAccount), which record every move.
/// </summary>
internal sealed class AccountHooks : IBeforeRecordHook
{
    private static readonly string[] PoolFields = ["inPool", "poolEnteredAt", "poolReason"];

    public string Entity => AccountEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && record.Operation == RecordOperations.Update && PoolFields.FirstOrDefault(record.IsChanging) is { } poolField)
        {
            record.Reject("Accounts enter and leave the shared pool through releaseAccount, claimAccount and assignAccount, which record the move.", poolField);
            return Task.CompletedTask;
        }

        if (record.IsDirect && Analytics.Rfm.Fields.FirstOrDefault(record.IsChanging) is { } rfmField)
        {
            throw new Sdk.Operations.OperationException(SalesErrors.ComputedField, $"'{rfmField}' is computed from the account's orders (refreshRfmScores, and every night).", rfmField);
        }

        if (record.IsDirect && Predictions.PredictiveFields.OnAccount.FirstOrDefault(record.IsChanging) is { } churnField)
        {
            throw new Sdk.Operations.OperationException(SalesErrors.ComputedField, $"'{churnField}' is set by the nightly predictive-scores job from the tenant's order history.", churnField);
        }

        if (record.Operation == RecordOperations.Create || record.IsChanging("name"))
        {
            record.SetValue("nameKey", Normalize.Company(record.GetValue("name") as string));
        }

        if (record.Operation == RecordOperations.Create || record.IsChanging("ownerId"))
        {
            record.SetValue("ownedSince", DateTime.UtcNow);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Keeps a contact's normalised phone, the key duplicate leads are matched by.</summary>
internal sealed class ContactHooks : IBeforeRecordHook
{
    public string Entity => ContactEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Create || record.IsChanging("phone"))
        {
            record.SetValue("phoneKey", Normalize.Phone(record.GetValue("phone") as string));
        }

        return Task.CompletedTask;
    }
}
