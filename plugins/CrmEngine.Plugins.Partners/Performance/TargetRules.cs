using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary>A partner has one target per period (the scorecard reads it as the partner's attainment goal).</summary>
internal sealed class TargetRules : IRecordValidator
{
    public string Entity => PerformanceEntities.Target;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken) => OnePerPeriod.RequireAsync(record, "target", cancellationToken);
}
