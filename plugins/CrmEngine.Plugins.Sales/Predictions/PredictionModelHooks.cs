using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>A model record is the job's account of its own training: clients read it, only the job writes it.</summary>
internal sealed class PredictionModelHooks : IBeforeRecordHook
{
    public string Entity => PredictionModelEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) => record.IsDirect
        ? throw new OperationException(SalesErrors.ComputedField, "Prediction models are recorded by the nightly predictive-scores job; they can be read, not written.", "kind")
        : Task.CompletedTask;
}
