using Bogus;
using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Analytics;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Leads;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Payments;
using CrmEngine.Plugins.Sales.Pool;
using CrmEngine.Plugins.Sales.Products;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Sales.Demo;

/// <summary>
/// The demo tenant's sales data set, generated with Bogus from a fixed seed (the same every time):
/// a manager and four reps in one team, products and a channel price list, leads from every channel,
/// accounts with contacts and follow-ups, opportunities in every stage with their history, quotes
/// (one revised), orders with payment plans and payments (commissions follow), targets and a few
/// accounts in the shared pool. Everything goes through the record API, so the module's hooks
/// assign, score, price and total it as they would live data.
/// </summary>
internal sealed class DemoData : IPluginSeed
{
    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        if (!context.IsDemoTenant)
        {
            return;
        }

        await new ReferenceData().SeedAsync(context, cancellationToken);
        var records = context.Records;
        if ((await records.FindAsync(SalesRepEntity.Name, null, 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var faker = new Faker("zh_CN") { Random = new Randomizer(20260101) };
        var now = DateTime.UtcNow;
        var today = Periods.Today(now, Periods.Zone(null));
        var reps = await TeamAsync(context, cancellationToken);
        var products = await ProductsAsync(records, cancellationToken);
        var stages = await Pipelines.StagesAsync(records, (await Pipelines.DefaultAsync(records, cancellationToken))!.Id, cancellationToken);

        async Task<CrmRecord> Create(string entity, FieldValues values) => await Writes.RequireAsync(records.CreateAsync(entity, values, cancellationToken));

        // Leads from every channel; the hooks score and assign them (round robin), and link repeats.
        var sources = new[] { "webForm", "social", "event", "import", "api", "referral", "coldCall" };
        for (var i = 0; i < 24; i++)
        {
            var (province, city) = faker.PickRandom(DemoNames.Places);
            var company = Company(faker, out var industry);
            var name = faker.Name.LastName() + faker.Name.FirstName();
            var email = i % 8 == 7 ? $"lead{i - 1}@demo-customer.cn" : $"lead{i}@demo-customer.cn";
            var lead = await Create(LeadEntity.Name, new FieldValues
            {
                ["name"] = name, ["company"] = company, ["title"] = faker.PickRandom(DemoNames.Titles), ["email"] = email,
                ["phone"] = $"1{faker.Random.Number(30, 89)}{faker.Random.Number(10000000, 99999999)}", ["province"] = province, ["city"] = city,
                ["industry"] = industry, ["source"] = sources[i % sources.Length], ["description"] = "关注：" + faker.PickRandom(DemoNames.Needs),
                ["lastCapturedAt"] = now.AddDays(-faker.Random.Number(0, 30)),
            });
            if (i % 3 == 0)
            {
                await Create(ActivityEntity.Name, new FieldValues
                {
                    ["subject"] = "首次联系", ["type"] = faker.PickRandom("call", "wechat", "email"), ["notes"] = faker.PickRandom(DemoNames.FollowUps),
                    ["lead"] = lead.Id, ["occurredAt"] = now.AddDays(-faker.Random.Number(1, 10)), ["nextContactAt"] = now.AddDays(faker.Random.Number(-3, 7)), ["ownerId"] = lead.OwnerId,
                });
            }
        }

        // Accounts with contacts, follow-ups and deals in every stage.
        var accounts = new List<CrmRecord>();
        var classes = new[] { "A", "B", "B", "C" };
        for (var i = 0; i < 14; i++)
        {
            var rep = reps[i % reps.Count];
            var (province, city) = faker.PickRandom(DemoNames.Places);
            var name = Company(faker, out var industry);
            var account = await Create(AccountEntity.Name, new FieldValues
            {
                ["name"] = name, ["industry"] = industry, ["classification"] = classes[i % classes.Length], ["province"] = province, ["city"] = city,
                ["phone"] = $"0{faker.Random.Number(10, 29)}-{faker.Random.Number(60000000, 89999999)}", ["website"] = $"https://www.demo{i}.cn",
                ["tags"] = i % 4 == 0 ? new List<string> { "keyAccount", "listed" } : i % 4 == 1 ? new List<string> { "sme" } : new List<string> { "stateOwned" },
                ["source"] = faker.PickRandom(sources), ["ownerId"] = rep.Id,
            });
            accounts.Add(account);
            var contact = await Create(ContactEntity.Name, new FieldValues
            {
                ["name"] = faker.Name.LastName() + faker.Name.FirstName(), ["account"] = account.Id, ["title"] = faker.PickRandom(DemoNames.Titles),
                ["email"] = $"contact{i}@{(i % 2 == 0 ? "demo-customer.cn" : "example.com")}", ["phone"] = $"13{faker.Random.Number(100000000, 999999999)}",
                ["wechat"] = $"wx_demo_{i}", ["isPrimary"] = true, ["ownerId"] = rep.Id,
            });
            for (var k = 0; k < 1 + (i % 3); k++)
            {
                await Create(ActivityEntity.Name, new FieldValues
                {
                    ["subject"] = faker.PickRandom("需求沟通", "产品演示", "方案讨论", "商务拜访"), ["type"] = faker.PickRandom("call", "visit", "meeting", "wechat"),
                    ["notes"] = faker.PickRandom(DemoNames.FollowUps), ["account"] = account.Id, ["contact"] = contact.Id,
                    ["occurredAt"] = now.AddDays(-faker.Random.Number(1, 25)), ["nextContactAt"] = now.AddDays(faker.Random.Number(-5, 14)), ["ownerId"] = rep.Id,
                });
            }

            if (i < 12)
            {
                await OpportunityAsync(records, faker, stages, account, contact, rep.Id, i, now, cancellationToken);
            }
        }

        var orders = await QuotesAndOrdersAsync(records, faker, products, accounts.Take(4).ToList(), today, cancellationToken);
        foreach (var order in orders)
        {
            await PaymentsAsync(records, order, today, cancellationToken);
        }

        var quarter = Periods.Start("QUARTER", today);
        foreach (var rep in reps)
        {
            await Create(TargetEntity.Name, new FieldValues { ["name"] = $"{Periods.Label("QUARTER", quarter)} 个人目标", ["periodType"] = "quarter", ["periodStart"] = quarter, ["amount"] = new Money(300000m, "CNY"), ["ownerId"] = rep.Id });
        }

        var team = (await context.Directory.GetTeamsAsync(cancellationToken))[0];
        await Create(TargetEntity.Name, new FieldValues { ["name"] = $"{Periods.Label("QUARTER", quarter)} 华东销售部", ["periodType"] = "quarter", ["periodStart"] = quarter, ["amount"] = new Money(1200000m, "CNY"), ["teamId"] = team.Id.ToString() });

        // Two accounts the pool took back, one a rep let go.
        foreach (var (stale, reason) in new[] { (accounts[12], "noFollowUp"), (accounts[13], "released") })
        {
            // Read again: follow-ups moved its version on since it was created.
            var account = (await records.GetAsync(AccountEntity.Name, stale.Id, cancellationToken))!;
            await PoolRules.MoveAsync(records, account, PoolRules.ToPool(context.Directory.SystemUserId, reason, now.AddDays(-2)), reason == "released" ? "released" : "returned", account.OwnerId!.Value, reason,
                reason == "released" ? "客户暂无预算" : "30 天未跟进，自动退回公海 (30 days without follow-up)", now.AddDays(-2), cancellationToken);
        }
    }

    private static string Company(Faker faker, out string industry)
    {
        var (_, city) = faker.PickRandom(DemoNames.Places);
        var (trade, word) = faker.PickRandom(DemoNames.Trades);
        industry = trade;
        return city + faker.PickRandom(DemoNames.Cores) + word + faker.PickRandom(DemoNames.Suffixes);
    }

    private static async Task<List<CrmUser>> TeamAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        var directory = context.Directory;
        var manager = await directory.EnsureUserAsync("zhang.wei@demo.crmengine.dev", "张伟", ["user"], cancellationToken);
        var reps = new List<CrmUser>();
        var profiles = new[] { ("li.na", "李娜", "上海, 江苏", 5m), ("wang.qiang", "王强", "北京, 天津", 4m), ("liu.yang", "刘洋", "广东, 深圳", 4m), ("emily.chen", "Emily Chen", "浙江, 杭州", 5m) };
        foreach (var (email, name, regions, rate) in profiles)
        {
            var user = await directory.EnsureUserAsync(email + "@demo.crmengine.dev", name, ["user"], cancellationToken);
            reps.Add(user);
            await Writes.RequireAsync(context.Records.CreateAsync(SalesRepEntity.Name, new FieldValues { ["regions"] = regions, ["commissionRate"] = rate, ["maxAccounts"] = 30L, ["ownerId"] = user.Id }, cancellationToken));
        }

        await directory.EnsureTeamAsync("华东销售部", manager.Id, reps.Select(r => r.Id).ToList(), cancellationToken);
        return reps;
    }

    private static async Task<List<CrmRecord>> ProductsAsync(IRecordApi records, CancellationToken cancellationToken)
    {
        var catalogue = new[]
        {
            ("CRM-STD", "销售云 CRM 标准版（年）", "subscription", "套", 19800m, 13m, (decimal?)null),
            ("CRM-PRO", "销售云 CRM 专业版（年）", "subscription", "套", 39800m, 13m, (decimal?)6m),
            ("SRV-IMPL", "实施服务（人天）", "service", "人天", 2500m, 6m, (decimal?)null),
            ("SRV-TRAIN", "培训服务（天）", "service", "天", 3000m, 6m, (decimal?)null),
            ("HW-POS", "门店收银终端", "hardware", "台", 4200m, 13m, (decimal?)2m),
            ("API-PACK", "开放接口扩展包", "software", "个", 12000m, 13m, (decimal?)null),
        };
        var products = new List<CrmRecord>();
        foreach (var (code, name, category, unit, price, tax, commission) in catalogue)
        {
            products.Add(await Writes.RequireAsync(records.CreateAsync(ProductEntities.Product, new FieldValues
            {
                ["code"] = code, ["name"] = name, ["category"] = category, ["unit"] = unit, ["listPrice"] = new Money(price, "CNY"), ["taxRate"] = tax, ["commissionRate"] = commission,
            }, cancellationToken)));
        }

        var channel = await Writes.RequireAsync(records.CreateAsync(ProductEntities.PriceList, new FieldValues { ["name"] = "渠道价 Channel" }, cancellationToken));
        foreach (var product in products.Take(2))
        {
            await Writes.RequireAsync(records.CreateAsync(ProductEntities.PriceListItem, new FieldValues
            {
                ["priceList"] = channel.Id, ["product"] = product.Id, ["unitPrice"] = new Money(MoneyMath.Percent(MoneyMath.AmountOf(product, "listPrice"), 85m), "CNY"),
            }, cancellationToken));
        }

        return products;
    }

    /// <summary>An opportunity that started weeks ago and moved through the stages up to the i-th one (every stage gets some).</summary>
    private static async Task OpportunityAsync(IRecordApi records, Faker faker, IReadOnlyList<CrmRecord> stages, CrmRecord account, CrmRecord contact, Guid owner, int i, DateTime now, CancellationToken cancellationToken)
    {
        var started = now.AddDays(-60 + i);
        var opportunity = await Writes.RequireAsync(records.CreateAsync(OpportunityEntity.Name, new FieldValues
        {
            ["name"] = account.GetValue<string>("name")![..Math.Min(8, account.GetValue<string>("name")!.Length)] + " · " + faker.PickRandom(DemoNames.Needs),
            ["account"] = account.Id, ["contact"] = contact.Id, ["amount"] = new Money(faker.Random.Number(5, 60) * 10000m, "CNY"),
            ["expectedCloseDate"] = DateOnly.FromDateTime(now.AddDays(faker.Random.Number(10, 120))), ["competitors"] = faker.PickRandom("竞品 A", "竞品 B", "自研", null),
            ["stageEnteredAt"] = started, ["ownerId"] = owner,
        }, cancellationToken));
        var open = stages.Where(s => s.GetValue<string>("category") == "open").ToList();
        var target = i % 6;
        var at = started;
        for (var step = 1; step <= Math.Min(target, open.Count - 1); step++)
        {
            at = at.AddDays(faker.Random.Number(3, 9));
            opportunity = await Writes.RequireAsync(records.UpdateAsync(OpportunityEntity.Name, opportunity.Id, new FieldValues { ["stage"] = open[step].Id, ["stageEnteredAt"] = at }, cancellationToken: cancellationToken));
        }

        if (target >= 4)
        {
            var closing = stages.First(s => s.GetValue<string>("category") == (target == 4 ? "won" : "lost"));
            await Writes.RequireAsync(records.UpdateAsync(OpportunityEntity.Name, opportunity.Id, new FieldValues
            {
                ["stage"] = closing.Id, ["stageEnteredAt"] = at.AddDays(2),
                [target == 4 ? "wonReason" : "lostReason"] = target == 4 ? "product" : "competitor",
                ["lossNote"] = target == 4 ? null : "客户选择了价格更低的竞品",
            }, cancellationToken: cancellationToken));
        }
    }

    private static async Task<List<CrmRecord>> QuotesAndOrdersAsync(IRecordApi records, Faker faker, List<CrmRecord> products, List<CrmRecord> accounts, DateOnly today, CancellationToken cancellationToken)
    {
        var orders = new List<CrmRecord>();
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i];
            var quote = await Writes.RequireAsync(records.CreateAsync(QuoteEntities.Quote, new FieldValues
            {
                ["name"] = $"{account.GetValue<string>("name")} 报价", ["account"] = account.Id, ["validUntil"] = today.AddDays(30), ["ownerId"] = account.OwnerId,
                ["terms"] = "报价含税；实施完成后按合同约定分期回款。",
            }, cancellationToken));
            var chosen = faker.PickRandom(products, 3).ToList();
            for (var k = 0; k < chosen.Count; k++)
            {
                await Writes.RequireAsync(records.CreateAsync(QuoteEntities.QuoteLine, new FieldValues
                {
                    ["quote"] = quote.Id, ["product"] = chosen[k].Id, ["quantity"] = (decimal)faker.Random.Number(1, 10), ["discountPercent"] = k == 0 ? 10m : 0m, ["sortOrder"] = (long)k,
                }, cancellationToken));
            }

            if (i == 0)
            {
                // A revision: the first offer is superseded by a cheaper second one.
                var revision = await Writes.RequireAsync(records.CreateAsync(QuoteEntities.Quote, new FieldValues
                {
                    ["name"] = $"{account.GetValue<string>("name")} 报价（修订）", ["account"] = account.Id, ["validUntil"] = today.AddDays(30), ["revision"] = 2L,
                    ["previousRevision"] = quote.Id, ["ownerId"] = account.OwnerId,
                }, cancellationToken));
                await Writes.RequireAsync(records.CreateAsync(QuoteEntities.QuoteLine, new FieldValues { ["quote"] = revision.Id, ["product"] = chosen[0].Id, ["quantity"] = 2m, ["discountPercent"] = 15m }, cancellationToken));
                await Writes.RequireAsync(records.UpdateAsync(QuoteEntities.Quote, quote.Id, new FieldValues { ["status"] = "superseded" }, cancellationToken: cancellationToken));
                quote = revision;
            }

            if (i < 3)
            {
                orders.Add(await OrderFromAsync(records, quote, today.AddDays(-20 + (i * 5)), cancellationToken));
            }
        }

        return orders;
    }

    private static async Task<CrmRecord> OrderFromAsync(IRecordApi records, CrmRecord quote, DateOnly orderDate, CancellationToken cancellationToken)
    {
        await Writes.RequireAsync(records.UpdateAsync(QuoteEntities.Quote, quote.Id, new FieldValues { ["status"] = "accepted", ["acceptedAt"] = DateTime.UtcNow }, cancellationToken: cancellationToken));
        var order = await Writes.RequireAsync(records.CreateAsync(OrderEntities.Order, new FieldValues { ["account"] = quote.GetValue("account"), ["quote"] = quote.Id, ["orderDate"] = orderDate, ["ownerId"] = quote.OwnerId }, cancellationToken));
        await foreach (var line in records.QueryAllAsync(QuoteEntities.QuoteLine, Condition.Eq("quote", quote.Id), cancellationToken: cancellationToken))
        {
            await Writes.RequireAsync(records.CreateAsync(OrderEntities.OrderLine, new FieldValues
            {
                ["order"] = order.Id, ["product"] = line.GetValue("product"), ["description"] = line.GetValue("description"), ["quantity"] = line.GetValue("quantity"),
                ["unitPrice"] = line.GetValue("unitPrice"), ["discountPercent"] = line.GetValue("discountPercent"), ["taxRate"] = line.GetValue("taxRate"), ["sortOrder"] = line.GetValue("sortOrder"),
            }, cancellationToken));
        }

        return (await records.GetAsync(OrderEntities.Order, order.Id, cancellationToken))!;
    }

    /// <summary>Half due last month (paid), half due next month (partly paid).</summary>
    private static async Task PaymentsAsync(IRecordApi records, CrmRecord order, DateOnly today, CancellationToken cancellationToken)
    {
        var total = MoneyMath.AmountOf(order, "total");
        var first = MoneyMath.Round(total / 2m);
        var dues = new[] { (today.AddDays(-15), first), (today.AddDays(25), total - first) };
        for (var i = 0; i < dues.Length; i++)
        {
            await Writes.RequireAsync(records.CreateAsync(PaymentEntities.Plan, new FieldValues { ["order"] = order.Id, ["instalment"] = (long)(i + 1), ["dueDate"] = dues[i].Item1, ["amount"] = new Money(dues[i].Item2, "CNY") }, cancellationToken));
        }

        await Writes.RequireAsync(records.CreateAsync(PaymentEntities.Payment, new FieldValues { ["order"] = order.Id, ["amount"] = new Money(first, "CNY"), ["receivedOn"] = today.AddDays(-16), ["method"] = "bankTransfer", ["reference"] = "CMB" + order.Id.ToString("N")[..10] }, cancellationToken));
        await Writes.RequireAsync(records.CreateAsync(PaymentEntities.Payment, new FieldValues { ["order"] = order.Id, ["amount"] = new Money(MoneyMath.Round((total - first) / 4m), "CNY"), ["receivedOn"] = today.AddDays(-2), ["method"] = "wechatPay" }, cancellationToken));
    }
}
