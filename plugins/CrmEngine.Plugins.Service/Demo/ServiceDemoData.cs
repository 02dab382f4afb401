using Bogus;
using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Knowledge;
using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Service.Demo;

/// <summary>
/// The demo tenant's service data set, on top of sales' (which seeds first: service depends on it),
/// from a fixed Bogus seed: a Shanghai support calendar, SLA policies for high and urgent cases, two
/// queues with their agents, published knowledge articles, and a dozen cases of sales' demo accounts
/// received over the last two weeks in every state (new, open, waiting for the customer, resolved with
/// a satisfaction score, closed), so the SLA states, the analytics and the accounts' service figures
/// show something on first start. Everything goes through the record API and the lifecycle, so the
/// module's hooks compute the clocks. The normal priority is left without a policy, for the tenant's
/// own first one (the README's walkthrough makes it).
/// </summary>
internal sealed class ServiceDemoData(TimeProvider time) : IPluginSeed
{
    private static readonly (string Title, string Category, string Body)[] Articles =
    [
        ("路由器无法上网的排查步骤", "网络", "## 步骤\n\n1. 检查光猫与路由器的**网线**连接\n2. 重启路由器，等待 2 分钟\n3. 在管理页查看 WAN 口状态"),
        ("如何重置管理员密码", "账号", "在登录页点击“忘记密码”，输入绑定的**手机号**，按短信验证码设置新密码。"),
        ("电子发票申请流程", "财务", "订单完成后 30 天内，在“我的订单”中申请电子发票，1 个工作日内发送到邮箱。"),
        ("门禁控制器离线怎么办", "硬件", "1. 确认控制器电源灯常亮\n2. 检查交换机端口\n3. 在平台中重新绑定设备序列号"),
        ("系统导出报表出现乱码", "软件", "导出前将编码选择为 **UTF-8**；用 Excel 打开时选择“数据 → 自文本”导入。"),
    ];

    private static readonly (string Subject, string Category, string Priority, string Channel, string Status)[] Cases =
    [
        ("路由器频繁掉线", "incident", "high", "phone", "open"),
        ("无法登录管理后台", "incident", "urgent", "email", "new"),
        ("申请开具增值税专用发票", "request", "normal", "web", "resolved"),
        ("门禁控制器离线", "incident", "high", "email", "pendingCustomer"),
        ("报表导出乱码", "question", "normal", "chat", "closed"),
        ("备件发错型号，要求换货", "complaint", "high", "phone", "resolved"),
        ("如何添加子账号", "question", "low", "web", "resolved"),
        ("数据同步延迟两小时", "incident", "urgent", "api", "open"),
        ("安装调试预约", "request", "normal", "phone", "onHold"),
        ("服务态度问题投诉", "complaint", "normal", "social", "new"),
        ("固件升级失败", "incident", "high", "email", "resolved"),
        ("咨询年度维保价格", "question", "low", "chat", "closed"),
    ];

    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        if (!context.IsDemoTenant || (await records.FindAsync(CaseEntity.Name, null, 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var faker = new Faker("zh_CN") { Random = new Randomizer(20261101) };
        var now = time.GetUtcNow().UtcDateTime;
        async Task<CrmRecord> Create(string entity, FieldValues values) => await Writes.RequireAsync(records.CreateAsync(entity, values, cancellationToken));

        var calendar = await Create(SlaEntities.Calendar, new FieldValues { ["name"] = "上海客服中心（演示）", ["timeZone"] = "Asia/Shanghai", ["workdayStart"] = "09:00", ["workdayEnd"] = "18:00" });
        await Create(SlaEntities.Policy, new FieldValues { ["name"] = "高优先级工单", ["priority"] = "high", ["calendar"] = calendar.Id, ["firstResponseMinutes"] = 120L, ["nextResponseMinutes"] = 240L, ["resolutionMinutes"] = 1080L });
        await Create(SlaEntities.Policy, new FieldValues { ["name"] = "紧急工单", ["priority"] = "urgent", ["calendar"] = calendar.Id, ["firstResponseMinutes"] = 30L, ["nextResponseMinutes"] = 60L, ["resolutionMinutes"] = 480L });

        var network = await Create(RoutingEntities.Queue, new FieldValues { ["name"] = "网络与设备", ["description"] = "路由器、门禁等设备故障" });
        var software = await Create(RoutingEntities.Queue, new FieldValues { ["name"] = "软件与账号", ["description"] = "登录、报表、数据同步" });
        var agents = new List<Guid>();
        foreach (var (email, name, queue, skills) in new[] { ("liu.yang", "刘洋", network, "network, hardware"), ("chen.xin", "陈欣", software, "software, account"), ("huang.min", "黄敏", software, "software, billing") })
        {
            var user = await context.Directory.EnsureUserAsync(email + "@demo.crmengine.dev", name, ["user"], cancellationToken);
            await Create(RoutingEntities.Agent, new FieldValues { ["name"] = name, ["ownerId"] = user.Id, ["queue"] = queue.Id, ["skills"] = skills, ["languages"] = new List<string> { "zh", "en" }, ["presence"] = "online" });
            agents.Add(user.Id);
        }

        foreach (var (title, category, body) in Articles)
        {
            // Reviewed before the demo begins: written published, as the workflow leaves a first publication.
            await Create(KnowledgeEntities.Article, new FieldValues { ["title"] = title, ["category"] = category, ["body"] = body, ["status"] = "published", ["publishedVersion"] = 1L, ["publishedAt"] = now });
        }

        var contacts = new List<CrmRecord>();
        await foreach (var contact in records.QueryAllAsync("contact", Condition.IsNotNull("account"), cancellationToken: cancellationToken))
        {
            contacts.Add(contact);
        }

        var i = 0;
        foreach (var (subject, category, priority, channel, status) in Cases)
        {
            var contact = contacts.Count > 0 ? contacts[i % contacts.Count] : null;
            var receivedAt = now.AddDays(-faker.Random.Number(1, 14)).AddMinutes(-faker.Random.Number(0, 600));
            var @case = await Create(CaseEntity.Name, new FieldValues
            {
                ["subject"] = subject, ["category"] = category, ["priority"] = priority, ["channel"] = channel,
                ["description"] = faker.Lorem.Sentence(12), ["receivedAt"] = receivedAt,
                ["contact"] = contact?.Id, ["account"] = contact?.GetValue("account"),
                ["queue"] = (i % 2 == 0 ? network : software).Id, ["ownerId"] = agents[i % agents.Count],
            });
            await WalkAsync(records, @case, status, receivedAt, faker, cancellationToken);
            i++;
        }
    }

    /// <summary>Moves a demo case through its lifecycle to <paramref name="status"/>, hours after it came in.</summary>
    private static async Task WalkAsync(IRecordApi records, CrmRecord @case, string status, DateTime receivedAt, Faker faker, CancellationToken cancellationToken)
    {
        var steps = status switch
        {
            CaseLifecycle.New => [],
            CaseLifecycle.Open => [CaseLifecycle.Open],
            CaseLifecycle.Resolved => new[] { CaseLifecycle.Open, CaseLifecycle.Resolved },
            CaseLifecycle.Closed => [CaseLifecycle.Open, CaseLifecycle.Resolved, CaseLifecycle.Closed],
            _ => [CaseLifecycle.Open, status],
        };
        var at = receivedAt;
        foreach (var step in steps)
        {
            at = at.AddMinutes(faker.Random.Number(20, 300));
            if (step == CaseLifecycle.Resolved && CaseLifecycle.NeedsEscalation(@case))
            {
                await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues { ["escalated"] = true, ["escalatedAt"] = at, ["escalationReason"] = "客户要求主管处理" }, cancellationToken: cancellationToken));
                @case = (await records.GetAsync(CaseEntity.Name, @case.Id, cancellationToken))!;
            }

            var values = await CaseLifecycle.MoveAsync(records, @case, step, at, step == CaseLifecycle.Resolved ? "已远程协助处理完毕。" : null, cancellationToken);
            if (step == CaseLifecycle.Resolved)
            {
                values["csatScore"] = (long)faker.Random.Number(3, 5);
                values["csatAnsweredAt"] = at.AddHours(2);
            }

            await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, @case.Id, values, cancellationToken: cancellationToken));
            @case = (await records.GetAsync(CaseEntity.Name, @case.Id, cancellationToken))!;
        }
    }
}
