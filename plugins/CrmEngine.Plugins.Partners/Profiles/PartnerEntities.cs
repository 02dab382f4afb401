using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Partners.Profiles;

/// <summary>合作伙伴信息: the partner company, its people and its certifications.</summary>
internal static class PartnerEntities
{
    public const string Partner = "partner";
    public const string Contact = "partnerContact";
    public const string Certification = "partnerCertification";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Partner, e => e
            .Label("Partner", "合作伙伴")
            .Description("A reseller, distributor, referral, integrator or ISV company we sell with.", "与我们合作销售的经销商、分销商、推荐方、集成商或 ISV。")
            .AutoNumber("code", "PTN-{0000}", f => f.Label("Code", "伙伴编号"))
            .Text("name", f => f.Label("Name", "伙伴名称").Required().MaxLength(200).Searchable())
            .Picklist("type", f => f.Label("Type", "伙伴类型").Required()
                .Option("reseller", "Reseller", "经销商").Option("distributor", "Distributor", "分销商").Option("referral", "Referral partner", "推荐伙伴")
                .Option("integrator", "System integrator", "系统集成商").Option("isv", "ISV", "独立软件开发商").Indexed())
            .Picklist("tier", f => f.Label("Tier", "伙伴级别")
                .Option("registered", "Registered", "注册级", "#8c8c8c").Option("silver", "Silver", "银牌", "#bfbfbf")
                .Option("gold", "Gold", "金牌", "#d4b106").Option("platinum", "Platinum", "白金", "#597ef7").Default("registered").Indexed())
            .Picklist("status", f => f.Label("Status", "合作状态")
                .Option("prospect", "Prospect", "洽谈中").Option("active", "Active", "合作中").Option("suspended", "Suspended", "暂停")
                .Option("terminated", "Terminated", "已终止").Default("active").Indexed())
            .MultiPicklist("regions", f => f.Label("Regions", "覆盖区域").SalesRegions())
            .Text("territories", f => f.Label("Territories (provinces, cities)", "负责地区（省市）").MaxLength(500))
            .MultiPicklist("specializations", f => f.Label("Specializations", "专长领域").ProductCategories())
            .Email("email", f => f.Label("E-mail", "邮箱"))
            .Phone("phone", f => f.Label("Phone", "电话"))
            .Url("website", f => f.Label("Website", "网址"))
            .Text("address", f => f.Label("Address", "地址").MaxLength(300))
            .Integer("leadCapacity", f => f.Label("Lead capacity", "线索容量").Range(0, 1000).Default("5").Description("Distributed leads offered or accepted and still open that the partner can hold at once.", "伙伴可同时持有的待接受及已接受的在跟线索数。"))
            .Date("partnerSince", f => f.Label("Partner since", "合作开始日期"))
            .Decimal("score", f => f.Label("Scorecard score", "绩效得分").Scale(2).Description("The score of the latest tier review.", "最近一次级别评审的得分。"))
            .Date("downgradePendingSince", f => f.Label("Downgrade pending since", "待降级起始日").Description("Set when a review finds the partner below its tier; the downgrade comes once the grace period has passed.", "评审发现低于当前级别时设置；宽限期满后降级。"))
            .LongText("description", f => f.Label("Notes", "备注")));
        builder.Entity(Contact, e => e
            .Label("Partner contact", "伙伴联系人")
            .Description("A person at a partner: the account manager, sales, technical or finance contact.", "伙伴的联系人：客户经理、销售、技术或财务联系人。")
            .Lookup("partner", Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("contacts"))
            .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100).Searchable())
            .Picklist("role", f => f.Label("Role", "角色")
                .Option("principal", "Principal", "负责人").Option("sales", "Sales", "销售").Option("technical", "Technical", "技术")
                .Option("finance", "Finance", "财务").Option("marketing", "Marketing", "市场"))
            .Text("title", f => f.Label("Job title", "职位").MaxLength(100))
            .Email("email", f => f.Label("E-mail", "邮箱").Indexed())
            .Phone("phone", f => f.Label("Phone", "电话"))
            .Boolean("isPrimary", f => f.Label("Primary contact", "首要联系人").Default("false")));
        builder.Entity(Certification, e => e
            .Label("Partner certification", "伙伴认证")
            .Description("A certification the partner holds, with its expiry.", "伙伴持有的认证及其有效期。")
            .Lookup("partner", Partner, f => f.Label("Partner", "合作伙伴").Required().Inverse("certifications"))
            .Text("name", f => f.Label("Certification", "认证名称").Required().MaxLength(200))
            .Picklist("category", f => f.Label("Product category", "产品类别").ProductCategories())
            .Text("holder", f => f.Label("Holder", "持证人").MaxLength(100))
            .Date("issuedOn", f => f.Label("Issued on", "颁发日期").Required())
            .Date("expiresOn", f => f.Label("Expires on", "到期日期").Indexed())
            .DateTime("expiryRemindedAt", f => f.Label("Partner manager reminded of expiry", "到期提醒时间")));
    }
}
