using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners.Matching;

/// <summary>
/// What the partners module adds to the sales module's entities: the match keys deal registrations
/// are checked against (kept by <see cref="MatchKeyHook"/>), and the partner an opportunity or an
/// account came from, so partner-sourced deals flow through sales' pipeline, funnel and forecast.
/// </summary>
internal static class SalesExtensions
{
    public static void Declare(IPluginBuilder builder)
    {
        builder.ExtendEntity("account", e => NameKey(DomainAndPhone(e))
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Source partner", "来源伙伴").Inverse("accounts")));
        builder.ExtendEntity("lead", e => Distribution.DistributionEntities.LeadFields(NameKey(DomainAndPhone(e))));
        builder.ExtendEntity("contact", e => DomainAndPhone(e));
        builder.ExtendEntity("opportunity", e => e
            .Lookup("partner", PartnerEntities.Partner, f => f.Label("Partner", "合作伙伴").Inverse("opportunities"))
            .Picklist("partnerRole", f => f.Label("Partner's part", "伙伴角色")
                .Option("sourced", "Partner-sourced", "伙伴来源").Option("influenced", "Partner-influenced", "伙伴协助").Indexed()));
    }

    private static EntityBuilder NameKey(EntityBuilder e) =>
        e.Text("dealMatchName", f => f.Label("Company (match key)", "公司名称（查重键）").MaxLength(200).Indexed());

    private static EntityBuilder DomainAndPhone(EntityBuilder e) => e
        .Text("dealMatchDomain", f => f.Label("E-mail domain (match key)", "邮箱域名（查重键）").MaxLength(200).Indexed())
        .Text("dealMatchPhone", f => f.Label("Phone (match key)", "电话（查重键）").MaxLength(40).Indexed());
}
