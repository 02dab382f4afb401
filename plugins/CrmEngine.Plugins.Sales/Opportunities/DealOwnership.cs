using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Sales.Opportunities;

/// <summary>
/// A deal's documents belong to whoever owns the deal: a quote or order created on an opportunity
/// takes the opportunity's owner, whoever creates it (the rep, an admin, an integration,
/// acceptQuote), unless the writer names an owner. Instalments, payments and their commissions
/// follow the order, so credit follows the opportunity's owner (as Salesforce controls quotes by
/// their opportunity) rather than whoever happened to type the document in.
/// </summary>
internal abstract class DealOwnership(string entity) : IBeforeRecordHook
{
    public string Entity => entity;

    public RecordOperations Operations => RecordOperations.Create;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.ChangingFields.Contains("ownerId"))
        {
            return;
        }

        if (await Visibility.LinkedAsync(record, "opportunity", OpportunityEntity.Name, cancellationToken) is { OwnerId: { } owner })
        {
            record.SetValue("ownerId", owner);
        }
    }
}

/// <summary>Quotes on an opportunity are its owner's.</summary>
internal sealed class QuoteOwnership() : DealOwnership(QuoteEntities.Quote);

/// <summary>Orders on an opportunity are its owner's.</summary>
internal sealed class OrderOwnership() : DealOwnership(OrderEntities.Order);
