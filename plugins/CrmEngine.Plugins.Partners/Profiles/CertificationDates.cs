using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Profiles;

/// <summary>A certification can't expire before it was issued.</summary>
internal sealed class CertificationDates : IRecordValidator
{
    public string Entity => PartnerEntities.Certification;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("issuedOn") is DateOnly issued && record.GetValue("expiresOn") is DateOnly expires && expires < issued)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "A certification expires after it was issued.", "expiresOn");
        }

        return Task.CompletedTask;
    }
}
