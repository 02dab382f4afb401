using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Accounts;

/// <summary>客户: a customer company (or person), with tags, A/B/C classification, lifecycle stage and pool state.</summary>
internal static class AccountEntity
{
    public const string Name = "account";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => Predictions.PredictiveFields.Churn(Analytics.Rfm.Declare(e
        .Label("Account", "客户")
        .Description("A customer company or person we sell to.", "我们销售的客户（企业或个人）。")
        .Text("name", f => f.Label("Name", "客户名称").Required().MaxLength(200).Searchable())
        .Text("nameKey", f => f.Label("Name (normalised)", "名称（标准化）").MaxLength(200).Indexed())
        .Picklist("industry", f => f.Label("Industry", "行业").Industries())
        .Picklist("classification", f => f.Label("Classification", "客户等级")
            .Option("A", "A: key account", "A：重点客户", "#d4380d").Option("B", "B: regular", "B：普通客户", "#d48806").Option("C", "C: small", "C：一般客户", "#8c8c8c"))
        .Picklist("lifecycleStage", f => f.Label("Lifecycle stage", "客户生命周期")
            .Option("prospect", "Prospect", "潜在客户").Option("contacted", "Contacted", "已接触").Option("converted", "Converted", "已成交")
            .Option("active", "Active", "活跃客户").Option("loyal", "Loyal", "忠诚客户").Option("atRisk", "At risk", "流失风险").Option("lost", "Lost", "已流失")
            .Default("prospect").Indexed())
        .MultiPicklist("tags", f => f.Label("Tags", "标签")
            .Option("keyAccount", "Key account", "重点客户").Option("government", "Government", "政府机构").Option("stateOwned", "State-owned", "国有企业")
            .Option("listed", "Listed company", "上市公司").Option("foreign", "Foreign-invested", "外资企业").Option("sme", "SME", "中小企业")
            .Option("referral", "Referred", "转介绍").Option("vip", "VIP", "VIP"))
        .Phone("phone", f => f.Label("Phone", "电话"))
        .Email("email", f => f.Label("E-mail", "邮箱"))
        .Url("website", f => f.Label("Website", "网址"))
        .Text("province", f => f.Label("Province", "省份").MaxLength(50))
        .Text("city", f => f.Label("City", "城市").MaxLength(50))
        .Text("address", f => f.Label("Address", "地址").MaxLength(300))
        .Picklist("source", f => f.Label("Source channel", "客户来源").Sources())
        .Boolean("inPool", f => f.Label("In the shared pool", "在公海").Default("false").Indexed())
        .DateTime("poolEnteredAt", f => f.Label("Entered the pool", "进入公海时间"))
        .Picklist("poolReason", f => f.Label("Why in the pool", "进入公海原因").PoolReasons())
        .DateTime("ownedSince", f => f.Label("Held by the owner since", "领取/分配时间"))
        .DateTime("lastFollowUpAt", f => f.Label("Last follow-up", "最近跟进时间"))
        .DateTime("nextFollowUpAt", f => f.Label("Next follow-up", "下次跟进时间"))
        .DateTime("lastDealProgressAt", f => f.Label("Last deal progress", "最近商机推进时间"))
        .DateTime("idleRemindedAt", f => f.Label("Owner reminded of no contact", "未联系提醒时间"))
        .Date("customerSince", f => f.Label("Customer since (first order)", "首次成交日期"))
        .Date("lastOrderOn", f => f.Label("Last order", "最近下单日期"))
        .LongText("description", f => f.Label("Notes", "备注")))));
}

/// <summary>联系人: a person at an account.</summary>
internal static class ContactEntity
{
    public const string Name = "contact";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Contact", "联系人")
        .Description("A person at an account.", "客户中的联系人。")
        .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100).Searchable())
        .Lookup("account", AccountEntity.Name, f => f.Label("Account", "所属客户").Inverse("contacts"))
        .Text("title", f => f.Label("Job title", "职位").MaxLength(100))
        .Text("department", f => f.Label("Department", "部门").MaxLength(100))
        .Email("email", f => f.Label("E-mail", "邮箱").Indexed())
        .Phone("phone", f => f.Label("Phone", "电话"))
        .Text("phoneKey", f => f.Label("Phone (normalised)", "电话（标准化）").MaxLength(40).Indexed())
        .Text("wechat", f => f.Label("WeChat", "微信号").MaxLength(100))
        .Boolean("isPrimary", f => f.Label("Primary contact", "首要联系人").Default("false"))
        .Date("birthday", f => f.Label("Birthday", "生日"))
        .LongText("description", f => f.Label("Notes", "备注")));
}
