using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Funds;

/// <summary>
/// A request names its budget's partner, so a partner portal can confine its staff to their own
/// requests with an organization lookup on <c>mdfRequest.partner</c> (organization lookups point at
/// the organization record itself, not through another lookup). The module keeps it.
/// </summary>
internal sealed class RequestPartner : IBeforeRecordHook
{
    public string Entity => FundEntities.Request;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && record.IsChanging("partner"))
        {
            throw new OperationException(PartnerErrors.ComputedField, "'partner' is kept by the partners module from the request's budget.", "partner");
        }

        if ((record.Operation == RecordOperations.Create || record.IsChanging("budget")) && record.GetValue("budget") is Guid budgetId)
        {
            var budget = await record.PrivilegedRecords.GetAsync(FundEntities.Budget, budgetId, cancellationToken);
            record.SetValue("partner", budget?.GetValue<Guid>("partner"));
        }
    }
}
