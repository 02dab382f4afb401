using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>Budgets and targets are one per partner and period.</summary>
internal static class OnePerPeriod
{
    /// <summary>Refuses (INVALID_INPUT on period) a record whose partner already has one for its period.</summary>
    public static async Task RequireAsync(IRecordContext record, string what, CancellationToken cancellationToken)
    {
        if (record.IsChanging("partner") || record.IsChanging("period"))
        {
            var same = Condition.All(Condition.Eq("partner", record.GetValue("partner")), Condition.Eq("period", record.GetValue("period")), Condition.Ne("id", record.RecordId));
            if ((await record.PrivilegedRecords.FindAsync(record.Entity, same, 1, cancellationToken)).Count > 0)
            {
                throw new OperationException(PartnerErrors.InvalidInput, $"The partner has a {what} for {record.GetValue("period")} already.", "period");
            }
        }
    }
}
