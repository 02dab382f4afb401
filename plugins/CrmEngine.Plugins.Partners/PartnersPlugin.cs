using CrmEngine.Plugins.Partners.Agreements;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Distribution;
using CrmEngine.Plugins.Partners.Funds;
using CrmEngine.Plugins.Partners.Incentives;
using CrmEngine.Plugins.Partners.Matching;
using CrmEngine.Plugins.Partners.Performance;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Plugins.Partners.Registrations;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners;

/// <summary>
/// The partner module (合作伙伴管理), built on the SDK alone beside the sales module it feeds:
/// profiles, agreements, deal registration with conflict detection, market development funds and incentives (commissions, rebates, MDF claims, payouts). Hooks, operations and jobs
/// are found by the host's scan.
/// </summary>
public sealed class PartnersPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        PartnerSettings.Declare(builder);
        PartnerEntities.Declare(builder);
        AgreementEntities.Declare(builder);
        RegistrationEntities.Declare(builder);
        FundEntities.Declare(builder);
        IncentiveEntities.Declare(builder);
        PerformanceEntities.Declare(builder);
        DistributionEntities.Declare(builder);
        SalesExtensions.Declare(builder);
    }
}
