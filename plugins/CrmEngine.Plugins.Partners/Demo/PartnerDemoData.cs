using Bogus;
using CrmEngine.Plugins.Partners.Agreements;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Funds;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Plugins.Partners.Registrations;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Partners.Demo;

/// <summary>
/// The demo tenant's channel, generated with Bogus from a fixed seed (the same every time): three
/// partners of different types and tiers with a contact and a certification each, an agreement per
/// partner with its rates, deal registrations and an MDF budget with a request. A seed has no
/// approvals service, so agreements, registrations and requests start as drafts for the demo user to
/// submit (registration conflicts are found when they are submitted).
/// </summary>
internal sealed class PartnerDemoData : IPluginSeed
{
    private static readonly (string Name, string Type, string Tier, string Region, string Domain)[] Partners =
    [
        ("杭州云启信息技术有限公司", "reseller", "gold", "east", "yunqi-it.cn"),
        ("广州南粤数智科技有限公司", "integrator", "silver", "south", "nanyue-tech.cn"),
        ("成都蜀信软件股份有限公司", "isv", "registered", "southwest", "shuxin-soft.cn"),
    ];

    private static readonly string[] Specializations = ["software", "services"];

    private static readonly string[] Software = ["software"];

    private static readonly string[] Customers = ["宁波远洋物流有限公司", "佛山美达家电股份有限公司", "绵阳九洲电子集团", "温州正华鞋业有限公司", "东莞精工模具有限公司", "德阳重装机械有限公司"];

    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        if (!context.IsDemoTenant || (await records.FindAsync(PartnerEntities.Partner, null, 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var faker = new Faker("zh_CN") { Random = new Randomizer(20261207) };
        var year = DateTime.UtcNow.Year;
        async Task<CrmRecord> Create(string entity, FieldValues values) => await Writes.RequireAsync(records.CreateAsync(entity, values, cancellationToken));

        for (var i = 0; i < Partners.Length; i++)
        {
            var (name, type, tier, region, domain) = Partners[i];
            var partner = await Create(PartnerEntities.Partner, new FieldValues
            {
                ["name"] = name, ["type"] = type, ["tier"] = tier, ["regions"] = new[] { region },
                ["specializations"] = Specializations, ["email"] = $"channel@{domain}",
            });
            var person = faker.Name.LastName() + faker.Name.FirstName();
            await Create(PartnerEntities.Contact, new FieldValues { ["partner"] = partner.Id, ["name"] = person, ["role"] = "principal", ["email"] = $"{faker.Random.AlphaNumeric(6)}@{domain}" });
            await Create(PartnerEntities.Certification, new FieldValues
            {
                ["partner"] = partner.Id, ["name"] = "CRM 实施认证", ["category"] = "services", ["holder"] = person,
                ["issuedOn"] = new DateOnly(year - 1, 3, 1), ["expiresOn"] = new DateOnly(year + 1, 2, 28),
            });
            var agreement = await Create(AgreementEntities.Agreement, new FieldValues
            {
                ["name"] = $"{year + 1} 年度合作协议", ["partner"] = partner.Id, ["startDate"] = new DateOnly(year + 1, 1, 1), ["endDate"] = new DateOnly(year + 1, 12, 31),
            });
            await Create(AgreementEntities.Rate, new FieldValues { ["agreement"] = agreement.Id, ["category"] = "software", ["discountRate"] = 20m + (5m * (2 - i)), ["commissionRate"] = 8m });
            for (var r = 0; r < 2; r++)
            {
                await Create(RegistrationEntities.Registration, new FieldValues
                {
                    ["partner"] = partner.Id, ["customerName"] = Customers[(2 * i) + r], ["contactName"] = faker.Name.LastName() + faker.Name.FirstName(),
                    ["products"] = "CRM 专业版", ["productCategories"] = Software, ["region"] = region,
                    ["amount"] = new Money(faker.Random.Number(10, 60) * 10000m, "CNY"), ["expectedCloseDate"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(faker.Random.Number(30, 150))),
                });
            }
        }

        var first = (await records.FindAsync(PartnerEntities.Partner, Condition.Eq("name", Partners[0].Name), 1, cancellationToken))[0];
        var budget = await Create(FundEntities.Budget, new FieldValues { ["partner"] = first.Id, ["period"] = $"{year + 1}-H1", ["amount"] = new Money(100000m, "CNY") });
        await Create(FundEntities.Request, new FieldValues { ["budget"] = budget.Id, ["activity"] = "华东区新品发布会", ["amount"] = new Money(30000m, "CNY") });
    }
}
