using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Analytics;
using CrmEngine.Plugins.Sales.Commissions;
using CrmEngine.Plugins.Sales.Contracts;
using CrmEngine.Plugins.Sales.Leads;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Plugins.Sales.Pool;
using CrmEngine.Plugins.Sales.Predictions;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales;

/// <summary>
/// The sales module (销售自动化), lead to cash, built on the SDK alone. Its entities are declared by
/// module; hooks, operations, jobs, seeds and rule functions are found by the host's scan.
/// </summary>
public sealed class SalesPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        SalesSettingsEntity.Declare(builder);
        SalesRepEntity.Declare(builder);
        LeadEntity.Declare(builder);
        LeadCaptureEntity.Declare(builder);
        AccountEntity.Declare(builder);
        ContactEntity.Declare(builder);
        ActivityEntity.Declare(builder);
        PoolMoveEntity.Declare(builder);
        PipelineEntity.Declare(builder);
        StageEntity.Declare(builder);
        OpportunityEntity.Declare(builder);
        StageHistoryEntity.Declare(builder);
        ProductEntities.Declare(builder);
        QuoteEntities.Declare(builder);
        OrderEntities.Declare(builder);
        ContractEntities.Declare(builder);
        PaymentEntities.Declare(builder);
        CommissionEntity.Declare(builder);
        TargetEntity.Declare(builder);
        PredictionModelEntity.Declare(builder);
    }
}
