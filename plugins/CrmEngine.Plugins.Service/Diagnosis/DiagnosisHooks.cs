using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Diagnosis;

/// <summary>A tree's questions are written by saveDiagnosisTree alone, which validates them; its name, description and product may be edited directly.</summary>
internal sealed class DiagnosisTreeHooks : IBeforeRecordHook
{
    private static readonly string[] Kept = ["startQuestion", "definition", "questionCount"];

    public string Entity => DiagnosisEntities.Tree;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && (record.Operation == RecordOperations.Create || Kept.Any(record.IsChanging)))
        {
            throw new OperationException(ServiceErrors.StatusByOperation, "A diagnosis tree's questions are saved with saveDiagnosisTree, which checks them.", Kept.FirstOrDefault(record.IsChanging) ?? "definition");
        }

        return Task.CompletedTask;
    }
}

/// <summary>A walk through a tree is made by startDiagnosis and answerDiagnosis alone, so its path is the one the agent took.</summary>
internal sealed class DiagnosisWalkHooks : IBeforeRecordHook
{
    public string Entity => DiagnosisEntities.Walk;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) =>
        record.IsDirect
            ? throw new OperationException(ServiceErrors.StatusByOperation, "A diagnosis is walked with startDiagnosis and answerDiagnosis.", record.ChangingFields.FirstOrDefault())
            : Task.CompletedTask;
}
