using CrmEngine.Plugins.Service.Analytics;
using CrmEngine.Plugins.Service.Care;
using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Diagnosis;
using CrmEngine.Plugins.Service.Entitlements;
using CrmEngine.Plugins.Service.Escalation;
using CrmEngine.Plugins.Service.FieldService;
using CrmEngine.Plugins.Service.Knowledge;
using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Service;

/// <summary>
/// The service module (客户服务与支持), built on the SDK alone: cases from every channel with their
/// lifecycle, e-mail-to-case, and SLA clocks in business time. Hooks, operations, jobs and the mail
/// handler are found by the host's scan.
/// </summary>
public sealed class ServicePlugin : ICrmPlugin
{
    /// <summary>The setting: how many days after resolution a customer's reply reopens the case (later, it opens a follow-up case).</summary>
    public const string ReopenWithinDays = "reopenWithinDays";

    /// <summary>The setting: the address the public links in mail start with (the host as customers reach it); empty for links relative to the host.</summary>
    public const string PublicAddress = "publicAddress";

    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        SlaEntities.Declare(builder);
        RoutingEntities.Declare(builder);
        EscalationEntities.DeclareRule(builder);
        EntitlementEntities.Declare(builder);
        KnowledgeEntities.Declare(builder);
        CaseEntity.Declare(builder);
        CaseMessageEntity.Declare(builder);
        EscalationEntities.DeclareRecord(builder);
        EntitlementEntities.DeclareTimeEntry(builder);
        DiagnosisEntities.Declare(builder);
        FieldServiceEntities.Declare(builder);
        AccountServiceFigures.Declare(builder);
        ProactiveCare.Declare(builder);
        builder.Setting(ReopenWithinDays, SettingType.Integer, s => s
            .Label("Reopen on a reply within (days)", "回复重开期限（天）")
            .Description("A reply this many days after resolution reopens the case; a later one opens a follow-up case.", "解决后此天数内的回复会重开工单，之后的回复会新建后续工单。")
            .Default(7));
        builder.Setting(PublicAddress, SettingType.String, s => s
            .Label("Public address of the CRM", "系统公网地址")
            .Description("Where customers reach this host (https://crm.example.com); survey links in mail start with it.", "客户访问本系统的地址（如 https://crm.example.com），邮件中的调查链接以此开头。"));
    }
}
