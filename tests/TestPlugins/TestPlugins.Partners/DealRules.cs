using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Partners;

/// <summary>
/// A deal names an active partner: otherwise the write is refused with the declared code
/// PARTNER_INACTIVE on the field <c>partner</c>. Titles ask for the refusals a plugin must not make
/// (an undeclared code, an ill-formed one) and one it may (an engine code, with the engine's meaning).
/// </summary>
public sealed class DealPartnerIsActive : IRecordValidator
{
    /// <inheritdoc/>
    public string Entity => "deal";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    /// <inheritdoc/>
    public async Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        switch (record.GetValue("title") as string)
        {
            case "undeclared code":
                throw new OperationException("PARTNER_SLEEPING", "The partner is asleep.", "partner");
            case "ill-formed code":
                throw new OperationException("partner sleeping", "The partner is asleep.", "partner");
            case "engine code":
                throw new OperationException("INVALID_VALUE", "Deal titles may not say that.", "title");
        }

        if (record.GetValue("partner") is Guid partnerId && await record.Records.GetAsync("partner", partnerId, cancellationToken) is { } partner && partner.GetValue<bool>("active") != true)
        {
            throw new OperationException("PARTNER_INACTIVE", $"Partner '{partner.GetValue<string>("name")}' is not active.", "partner");
        }
    }
}
