using Bogus;
using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Plugins.Marketing.Plans;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Marketing.Demo;

/// <summary>
/// The demo tenant's marketing data set, on top of sales' (which seeds first: marketing depends on
/// it), from a fixed Bogus seed: a year's plan, four campaigns across channels with their cost lines,
/// sales' demo leads as e-mail and ad members who opened, clicked or responded, and the accounts of
/// sales' deals as fair and webinar members who responded weeks before the deals were created, so
/// the campaigns have attributed won revenue and an ROI on first start; their opens and clicks are on
/// the leads' timelines, and a nurture journey (<see cref="DemoJourney"/>) is live. Everything goes through the
/// record API, so the module's hooks total the costs, stamp the interactions and score the leads.
/// </summary>
internal sealed class MarketingDemoData : IPluginSeed
{
    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        if (!context.IsDemoTenant || (await records.FindAsync(CampaignEntity.Name, null, 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var faker = new Faker("zh_CN") { Random = new Randomizer(20260301) };
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        async Task<CrmRecord> Create(string entity, FieldValues values) => await Writes.RequireAsync(records.CreateAsync(entity, values, cancellationToken));

        var plan = await Create(MarketingPlanEntity.Name, new FieldValues
        {
            ["name"] = $"{today.Year} 年度市场计划", ["budget"] = Amounts.Money(500000m),
            ["startDate"] = new DateOnly(today.Year, 1, 1), ["endDate"] = new DateOnly(today.Year, 12, 31),
        });

        async Task<CrmRecord> Campaign(string name, string type, decimal budget, int startedDaysAgo, params (string Description, string Category, decimal Amount)[] costs)
        {
            var campaign = await Create(CampaignEntity.Name, new FieldValues
            {
                ["name"] = name, ["type"] = type, ["plan"] = plan.Id, ["budget"] = Amounts.Money(budget),
                ["startDate"] = today.AddDays(-startedDaysAgo), ["endDate"] = today.AddDays(-startedDaysAgo + 60),
                ["expectedRevenue"] = Amounts.Money(budget * 5), ["expectedResponses"] = 20L,
            });
            foreach (var (description, category, amount) in costs)
            {
                await Create(CampaignCostEntity.Name, new FieldValues { ["campaign"] = campaign.Id, ["description"] = description, ["category"] = category, ["amount"] = Amounts.Money(amount) });
            }

            return await Writes.RequireAsync(records.UpdateAsync(CampaignEntity.Name, campaign.Id, new FieldValues { ["status"] = "active" }, cancellationToken: cancellationToken));
        }

        var fair = await Campaign("上海工博会", "event", 150000m, 90, ("展位费", "venue", 60000m), ("物料制作", "production", 20000m));
        var webinar = await Campaign("智能工厂网络研讨会", "webinar", 30000m, 80, ("直播平台", "media", 8000m), ("讲师费", "other", 4000m));
        var mail = await Campaign("制造业数字化白皮书邮件", "email", 20000m, 40, ("邮件服务", "media", 3000m));
        var ads = await Campaign("抖音信息流广告", "ad", 50000m, 30, ("广告投放", "media", 25000m));

        // The accounts of sales' deals visited the fair (and some the webinar) before their deals began.
        var accounts = new HashSet<Guid>();
        await foreach (var opportunity in records.QueryAllAsync("opportunity", cancellationToken: cancellationToken))
        {
            if (opportunity.GetValue("account") is Guid account)
            {
                accounts.Add(account);
            }
        }

        var i = 0;
        foreach (var account in accounts)
        {
            await Member(fair, "account", account, "responded", now.AddDays(-faker.Random.Number(75, 85)));
            if (i++ % 2 == 0)
            {
                await Member(webinar, "account", account, "responded", now.AddDays(-faker.Random.Number(60, 70)));
            }
        }

        // Sales' leads got the e-mail (and some the ads): opened, clicked or responded over the last weeks.
        var statuses = new[] { "sent", "opened", "clicked", "responded", "opened", "delivered" };
        i = 0;
        await foreach (var lead in records.QueryAllAsync("lead", cancellationToken: cancellationToken))
        {
            var status = statuses[i % statuses.Length];
            await Member(mail, "lead", lead.Id, status, now.AddDays(-faker.Random.Number(1, 30)));
            if (i++ % 3 == 0)
            {
                await Member(ads, "lead", lead.Id, faker.PickRandom("targeted", "sent", "clicked"), now.AddDays(-faker.Random.Number(1, 20)));
            }
        }

        await DemoJourney.SeedAsync(records, mail, cancellationToken);

        async Task Member(CrmRecord campaign, string kind, Guid person, string status, DateTime at)
        {
            var values = new FieldValues { ["campaign"] = campaign.Id, [kind] = person, ["memberStatus"] = status };
            if (status is "opened" or "clicked" or "responded")
            {
                values[status + "At"] = at;
            }

            var member = await Create(CampaignMemberEntity.Name, values);
            if (status is "opened" or "clicked")
            {
                // On the lead's timeline too, as the tracking links would have recorded it.
                await InteractionLog.RecordAsync(records, status, kind, person, at, new InteractionFacts(campaign.Id, member.Id), cancellationToken);
            }
        }
    }
}
