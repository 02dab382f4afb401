using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Queries;

[Collection(HostGroup.Name)]
public sealed class FilterTests(HostFixture fixture)
{
    private async Task<TenantClient> TenantAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var huawei = await AccountAsync(client, "深圳华为技术有限公司", "telecom", ["vip", "partner"], 1000m);
        var acme = await AccountAsync(client, "Acme Retail", "retail", ["new"], 20.5m);
        await AccountAsync(client, "北京银行", "finance", [], null);
        await ContactAsync(client, "Alice Zhang", new { score = 90, budget = new { amount = 5000 }, nextCallOn = "2026-03-01", active = true, status = "won", accountId = huawei, email = "alice@huawei.example" });
        await ContactAsync(client, "Bob Li", new { score = 40, budget = new { amount = 100 }, nextCallOn = "2026-01-15", active = false, status = "lost", accountId = acme });
        await ContactAsync(client, "王伟", new { score = 70, nextCallOn = "2026-02-10", status = "new", accountId = huawei });
        await ContactAsync(client, "Carol", new { status = "new" });
        return client;
    }

    private static async Task<List<string>> ContactsAsync(TenantClient client, string filter) =>
        Names((await client.QueryAsync($"{{ contacts(filter: {filter}, orderBy: [{{ name: ASC }}]) {{ nodes {{ name }} }} }}"))["contacts"]!);

    private static async Task<List<string>> AccountsAsync(TenantClient client, string filter) =>
        Names((await client.QueryAsync($"{{ accounts(filter: {filter}, orderBy: [{{ name: ASC }}]) {{ nodes {{ name }} }} }}"))["accounts"]!);

    [Fact]
    public async Task Text_operators_ignore_case_and_find_chinese_by_substring()
    {
        using var client = await TenantAsync();

        Assert.Equal(["Acme Retail"], await AccountsAsync(client, "{ name: { contains: \"ACME\" } }"));
        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ name: { contains: \"华为\" } }"));
        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ name: { startsWith: \"深圳\" } }"));
        Assert.Equal(["Acme Retail"], await AccountsAsync(client, "{ name: { endsWith: \"retail\" } }"));
        Assert.Equal(["Bob Li", "Carol"], await ContactsAsync(client, "{ name: { lt: \"D\" }, not: { name: { eq: \"Alice Zhang\" } } }"));
    }

    [Fact]
    public async Task Numbers_money_and_dates_filter_by_ranges()
    {
        using var client = await TenantAsync();

        Assert.Equal(["Alice Zhang", "王伟"], await ContactsAsync(client, "{ score: { gte: 70 } }"));
        Assert.Equal(["Bob Li", "王伟"], await ContactsAsync(client, "{ score: { between: [40, 70] } }"));
        Assert.Equal(["Alice Zhang"], await ContactsAsync(client, "{ budget: { gt: 1000 } }"));
        Assert.Equal(["Bob Li", "王伟"], await ContactsAsync(client, "{ nextCallOn: { lt: \"2026-03-01\" } }"));
        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ revenue: { gte: 100.25 } }"));
        Assert.Equal(["Carol"], await ContactsAsync(client, "{ score: { isNull: true } }"));
        Assert.Equal(["Bob Li", "Carol", "王伟"], await ContactsAsync(client, "{ active: { ne: true } }"));
        Assert.Equal(["Alice Zhang", "Bob Li"], await ContactsAsync(client, "{ status: { in: [\"won\", \"lost\"] } }"));
    }

    [Fact]
    public async Task Relative_date_ranges_follow_the_calendar_of_the_time_zone()
    {
        using var client = await TenantAsync();
        var now = DateTime.UtcNow;
        await ContactAsync(client, "Just now", new { lastContactedAt = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        await ContactAsync(client, "Last year", new { lastContactedAt = now.AddYears(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), nextCallOn = DateOnly.FromDateTime(now).AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(["Just now"], await ContactsAsync(client, "{ lastContactedAt: { relative: { period: TODAY } } }"));
        Assert.Equal(["Just now"], await ContactsAsync(client, "{ lastContactedAt: { relative: { period: LAST_N_DAYS, days: 7, timeZone: \"Asia/Shanghai\" } } }"));
        Assert.Equal(["Last year"], await ContactsAsync(client, "{ lastContactedAt: { relative: { period: LAST_YEAR } } }"));
        Assert.Equal(["Just now"], await ContactsAsync(client, "{ lastContactedAt: { relative: { period: THIS_QUARTER } } }"));
        Assert.Equal(["Last year"], await ContactsAsync(client, "{ nextCallOn: { relative: { period: NEXT_N_DAYS, days: 5 } } }"));
        Assert.Empty(await ContactsAsync(client, "{ lastContactedAt: { relative: { period: TOMORROW } } }"));

        var unknownZone = await client.PostAsync("{ contacts(filter: { lastContactedAt: { relative: { period: TODAY, timeZone: \"Mars/Olympus\" } } }) { nodes { name } } }");
        Assert.Equal("INVALID_VALUE", unknownZone.FirstErrorCode);
        var noDays = await client.PostAsync("{ contacts(filter: { lastContactedAt: { relative: { period: LAST_N_DAYS } } }) { nodes { name } } }");
        Assert.Equal("INVALID_VALUE", noDays.FirstErrorCode);
    }

    [Fact]
    public async Task Multi_picklists_match_one_any_all_or_exactly_a_set()
    {
        using var client = await TenantAsync();

        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ tags: { has: \"vip\" } }"));
        Assert.Equal(["Acme Retail", "深圳华为技术有限公司"], await AccountsAsync(client, "{ tags: { hasAny: [\"partner\", \"new\"] } }"));
        Assert.Empty(await AccountsAsync(client, "{ tags: { hasAll: [\"vip\", \"new\"] } }"));
        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ tags: { eq: [\"partner\", \"vip\"] } }"));
        Assert.Empty(await AccountsAsync(client, "{ tags: { eq: [\"vip\"] } }"));
        Assert.Equal(["北京银行"], await AccountsAsync(client, "{ tags: { isNull: true } }"));

        var unknownOption = await client.PostAsync("{ accounts(filter: { tags: { has: \"gold\" } }) { nodes { name } } }");
        Assert.Equal("INVALID_OPTION", unknownOption.FirstErrorCode);
    }

    [Fact]
    public async Task Filters_reach_through_lookups_and_inverse_lists()
    {
        using var client = await TenantAsync();

        Assert.Equal(["Alice Zhang", "王伟"], await ContactsAsync(client, "{ account: { industry: { eq: \"telecom\" } } }"));
        Assert.Equal(["Bob Li"], await ContactsAsync(client, "{ account: { tags: { has: \"new\" } }, score: { lt: 50 } }"));
        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ contacts: { some: { status: { eq: \"won\" } } } }"));
        Assert.Equal(["Acme Retail", "北京银行"], await AccountsAsync(client, "{ contacts: { none: { status: { eq: \"won\" } } } }"));
        Assert.Equal(["Acme Retail", "北京银行"], await AccountsAsync(client, "{ contacts: { every: { score: { lt: 50 } } } }"));
        Assert.Equal(["深圳华为技术有限公司"], await AccountsAsync(client, "{ or: [{ contacts: { some: { account: { name: { contains: \"华为\" } } } } }, { name: { eq: \"nobody\" } }] }"));
    }

    [Fact]
    public async Task A_deleted_related_record_does_not_match_through_a_lookup()
    {
        using var client = await TenantAsync();
        var acme = (await client.QueryAsync("{ accounts(filter: { name: { eq: \"Acme Retail\" } }) { nodes { id } } }"))["accounts"]!["nodes"]![0]!["id"]!.GetValue<string>();
        await client.MutateAsync($"mutation {{ deleteAccount(id: \"{acme}\") {{ userErrors {{ code }} }} }}");

        Assert.Empty(await ContactsAsync(client, "{ account: { industry: { eq: \"retail\" } } }"));
        var bob = await client.QueryAsync("{ contacts(filter: { name: { eq: \"Bob Li\" } }) { nodes { accountId account { name } } } }");
        Assert.Null(bob["contacts"]!["nodes"]![0]!["account"]);
    }
}
