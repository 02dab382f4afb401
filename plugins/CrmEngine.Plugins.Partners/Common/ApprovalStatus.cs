using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>The status of a record with an approval process belongs to the approval service.</summary>
internal static class ApprovalStatus
{
    /// <summary>Refuses a client's own write of the status (a new record may only start as a draft).</summary>
    public static void RefuseDirectWrite(IRecordContext record, string what)
    {
        if (record.IsDirect && record.IsChanging("status") && !(record.Operation == RecordOperations.Create && record.GetValue("status") as string == "draft"))
        {
            throw new OperationException(PartnerErrors.ComputedField, $"{what} status moves through submitForApproval, approve, reject and recall.", "status");
        }
    }
}
