using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary>
/// A partner's score and pending downgrade are what the last tier review found: clients can't
/// write them, or a partner could be spared a downgrade its figures call for.
/// </summary>
internal sealed class PartnerReviewFields : IBeforeRecordHook
{
    private static readonly string[] Kept = ["score", "downgradePendingSince"];

    public string Entity => "partner";

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) =>
        record.IsDirect && Kept.FirstOrDefault(record.IsChanging) is { } kept
            ? throw new OperationException(PartnerErrors.ComputedField, $"'{kept}' is kept by the tier review (reviewPartnerTiers).", kept)
            : Task.CompletedTask;
}
