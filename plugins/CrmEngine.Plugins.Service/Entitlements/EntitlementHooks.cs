using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Entitlements;

/// <summary>
/// Keeps an entitlement consistent: valid from a date to a later one, a whole number of cases when it
/// counts cases, never less allowance than it has used, its use written by the module alone, and
/// <c>remaining</c> always the allowance minus what is used.
/// </summary>
internal sealed class EntitlementHooks : IBeforeRecordHook
{
    private static readonly ManagedFields Managed = new(EntitlementEntities.Kept, new Dictionary<string, object> { ["used"] = 0m });

    public string Entity => EntitlementEntities.Entitlement;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (Managed.WrittenDirectly(record) is { } field)
        {
            throw new OperationException(ServiceErrors.StatusByOperation, $"An entitlement's {field} is kept by the service module from the cases and hours it covers.", field);
        }

        if (record.GetValue("startDate") is DateOnly start && record.GetValue("endDate") is DateOnly end && end < start)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "An entitlement ends on or after the day it starts.", "endDate");
        }

        var allowance = record.GetValue("allowance") as decimal? ?? 0m;
        var used = record.GetValue("used") as decimal? ?? 0m;
        if (record.GetValue("unit") as string == "cases" && allowance != decimal.Truncate(allowance))
        {
            throw new OperationException(ServiceErrors.InvalidInput, "An entitlement counted in cases allows a whole number of them.", "allowance");
        }

        if (record.Operation == RecordOperations.Update && record.IsChanging("unit") && used > 0)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "An entitlement that has been used keeps its unit.", "unit");
        }

        if (allowance < used)
        {
            throw new OperationException(ServiceErrors.AllowanceBelowUsed, $"The entitlement has used {used:0.##}; its allowance can't be less.", "allowance");
        }

        if (record.GetValue("remaining") as decimal? != allowance - used)
        {
            record.SetValue("remaining", allowance - used);
        }

        return Task.CompletedTask;
    }
}
