namespace CrmEngine.Plugins.Sales.Demo;

/// <summary>The building blocks of plausible Chinese company names, places and deal names for the demo data set.</summary>
internal static class DemoNames
{
    public static readonly (string Province, string City)[] Places =
    [
        ("上海", "上海"), ("江苏", "南京"), ("江苏", "苏州"), ("浙江", "杭州"), ("浙江", "宁波"), ("北京", "北京"), ("天津", "天津"),
        ("广东", "深圳"), ("广东", "广州"), ("四川", "成都"), ("湖北", "武汉"), ("山东", "青岛"),
    ];

    public static readonly string[] Cores = ["华信", "博远", "恒通", "星辰", "瑞丰", "嘉禾", "天合", "海纳", "东方", "佳创", "正泰", "云帆", "明德", "远航", "鼎盛", "金桥"];

    public static readonly (string Industry, string Word)[] Trades =
    [
        ("manufacturing", "精密制造"), ("it", "信息科技"), ("finance", "金融服务"), ("retail", "商贸"), ("education", "教育科技"),
        ("healthcare", "医疗器械"), ("logistics", "物流"), ("energy", "新能源"), ("realEstate", "置业"),
    ];

    public static readonly string[] Suffixes = ["有限公司", "股份有限公司", "集团有限公司"];

    public static readonly string[] Titles = ["总经理", "IT 总监", "采购经理", "销售总监", "运营经理", "财务总监", "信息化主管"];

    public static readonly string[] Needs = ["销售管理系统", "客户服务平台", "门店收银升级", "数据中台建设", "渠道管理", "营销自动化"];

    public static readonly string[] FollowUps =
    [
        "电话沟通需求，客户对移动端很感兴趣", "上门拜访，演示产品并了解现有流程", "微信发送产品资料和案例", "与 IT 部门开会确认集成方案",
        "发送报价，客户需内部审批", "邀请参加下周的产品发布会", "回访客户使用情况，反馈良好",
    ];
}
