using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Queries;

[Collection(HostGroup.Name)]
public sealed class AggregateTests(HostFixture fixture)
{
    private async Task<TenantClient> TenantAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var huawei = await AccountAsync(client, "深圳华为技术有限公司", "telecom");
        var acme = await AccountAsync(client, "Acme Retail", "retail");
        await ContactAsync(client, "A", new { score = 10, budget = new { amount = 100.5 }, status = "won", accountId = huawei, nextCallOn = "2026-01-05", lastContactedAt = "2026-01-31T20:00:00Z" });
        await ContactAsync(client, "B", new { score = 20, budget = new { amount = 200 }, status = "won", accountId = huawei, nextCallOn = "2026-01-07", lastContactedAt = "2026-02-01T01:00:00Z" });
        await ContactAsync(client, "C", new { score = 30, status = "lost", accountId = acme, nextCallOn = "2026-02-20" });
        await ContactAsync(client, "D", new { status = "new" });
        return client;
    }

    private static JsonNode Group(JsonNode aggregate, Func<JsonNode, bool> match) => aggregate["groups"]!.AsArray().Single(g => match(g!))!;

    [Fact]
    public async Task Totals_count_sum_average_and_extremes_over_the_filtered_records()
    {
        using var client = await TenantAsync();
        var data = await client.QueryAsync("""
            { contactsAggregate(filter: { status: { ne: "new" } }) {
                count countDistinct { status account } sum { score budget } avg { score } min { score nextCallOn } max { score lastContactedAt } } }
            """);
        var totals = data["contactsAggregate"]!;
        Assert.Equal(3, totals["count"]!.GetValue<int>());
        Assert.Equal(2, totals["countDistinct"]!["status"]!.GetValue<int>());
        Assert.Equal(2, totals["countDistinct"]!["account"]!.GetValue<int>());
        Assert.Equal(60m, totals["sum"]!["score"]!.GetValue<decimal>());
        Assert.Equal(300.5m, totals["sum"]!["budget"]!.GetValue<decimal>());
        Assert.Equal(20m, totals["avg"]!["score"]!.GetValue<decimal>());
        Assert.Equal(10, totals["min"]!["score"]!.GetValue<long>());
        Assert.Equal("2026-01-05", totals["min"]!["nextCallOn"]!.GetValue<string>());
        Assert.Equal(30, totals["max"]!["score"]!.GetValue<long>());
        Assert.StartsWith("2026-02-01T01:00:00", totals["max"]!["lastContactedAt"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_by_a_picklist_and_a_lookup_carry_their_keys_and_the_related_record()
    {
        using var client = await TenantAsync();
        var byStatus = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: status }], groupOrder: COUNT_DESC) { groups { key { status } count sum { score } } hasMoreGroups } }"))["contactsAggregate"]!;
        Assert.Equal("won", byStatus["groups"]![0]!["key"]!["status"]!.GetValue<string>());
        Assert.Equal(2, byStatus["groups"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(30m, byStatus["groups"]![0]!["sum"]!["score"]!.GetValue<decimal>());
        Assert.Equal(3, byStatus["groups"]!.AsArray().Count);
        Assert.False(byStatus["hasMoreGroups"]!.GetValue<bool>());

        var byAccount = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: account }, { field: status }]) { count groups { key { account { name industry } accountId status } count } } }"))["contactsAggregate"]!;
        Assert.Equal(4, byAccount["count"]!.GetValue<int>());
        var huaweiWon = Group(byAccount, g => g["key"]!["account"]?["name"]?.GetValue<string>() == "深圳华为技术有限公司");
        Assert.Equal(2, huaweiWon["count"]!.GetValue<int>());
        Assert.Equal("telecom", huaweiWon["key"]!["account"]!["industry"]!.GetValue<string>());
        Assert.Equal("won", huaweiWon["key"]!["status"]!.GetValue<string>());
        var noAccount = Group(byAccount, g => g["key"]!["accountId"] is null);
        Assert.Equal("new", noAccount["key"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lookup_groups_in_key_order_follow_the_related_records_name_not_its_id()
    {
        using var client = await TenantAsync();
        // Made after 深圳华为 and Acme, so their ids sort after: only the names put them in between.
        var beijing = await AccountAsync(client, "北京字节跳动科技有限公司", "telecom");
        var beta = await AccountAsync(client, "Beta Trading", "finance");
        await ContactAsync(client, "E", new { accountId = beijing });
        await ContactAsync(client, "F", new { accountId = beta });
        string[] byName = ["", "Acme Retail", "Beta Trading", "北京字节跳动科技有限公司", "深圳华为技术有限公司"];

        foreach (var (order, expected) in new[] { ("KEY_ASC", byName), ("KEY_DESC", byName.Reverse().ToArray()) })
        {
            var groups = (await client.QueryAsync($"{{ contactsAggregate(groupBy: [{{ field: account }}], groupOrder: {order}) {{ groups {{ key {{ account {{ name }} }} count }} }} }}"))["contactsAggregate"]!["groups"]!.AsArray();
            Assert.Equal(expected, groups.Select(g => g!["key"]!["account"]?["name"]?.GetValue<string>() ?? string.Empty));
        }

        // The group limit cuts in that order too, and a second key breaks ties within an account.
        var firstTwo = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: account }, { field: status }], first: 3) { groups { key { account { name } status } } hasMoreGroups } }"))["contactsAggregate"]!;
        Assert.Equal(["/new", "Acme Retail/lost", "Beta Trading/new"], firstTwo["groups"]!.AsArray().Select(g => $"{g!["key"]!["account"]?["name"]?.GetValue<string>()}/{g["key"]!["status"]!.GetValue<string>()}"));
        Assert.True(firstTwo["hasMoreGroups"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Date_buckets_group_by_calendar_periods_in_the_time_zone()
    {
        using var client = await TenantAsync();
        var byMonth = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: nextCallOn, bucket: MONTH }], filter: { nextCallOn: { isNull: false } }) { groups { key { nextCallOn } count } } }"))["contactsAggregate"]!;
        Assert.Equal(["2026-01-01:2", "2026-02-01:1"], byMonth["groups"]!.AsArray().Select(g => $"{g!["key"]!["nextCallOn"]}:{g["count"]}").ToList());

        var byWeek = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: nextCallOn, bucket: WEEK }], filter: { nextCallOn: { isNull: false } }) { groups { key { nextCallOn } count } } }"))["contactsAggregate"]!;
        Assert.Equal(["2026-01-05:2", "2026-02-16:1"], byWeek["groups"]!.AsArray().Select(g => $"{g!["key"]!["nextCallOn"]}:{g["count"]}").ToList());

        // 2026-01-31T20:00Z is already February 1st in Shanghai (UTC+8); both fall in February there.
        var utc = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: lastContactedAt, bucket: MONTH }], filter: { lastContactedAt: { isNull: false } }) { groups { key { lastContactedAt } count } } }"))["contactsAggregate"]!;
        Assert.Equal(2, utc["groups"]!.AsArray().Count);
        var shanghai = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: lastContactedAt, bucket: MONTH, timeZone: \"Asia/Shanghai\" }], filter: { lastContactedAt: { isNull: false } }) { groups { key { lastContactedAt } count } } }"))["contactsAggregate"]!;
        var only = Assert.Single(shanghai["groups"]!.AsArray())!;
        Assert.Equal(2, only["count"]!.GetValue<int>());
        Assert.StartsWith("2026-01-31T16:00:00", only["key"]!["lastContactedAt"]!.GetValue<string>(), StringComparison.Ordinal);

        var byQuarter = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: nextCallOn, bucket: QUARTER }]) { groups { key { nextCallOn } count } } }"))["contactsAggregate"]!;
        Assert.Contains(byQuarter["groups"]!.AsArray(), g => g!["key"]!["nextCallOn"]?.GetValue<string>() == "2026-01-01" && g["count"]!.GetValue<int>() == 3);
    }

    [Fact]
    public async Task The_group_limit_cuts_the_groups_and_says_so()
    {
        using var client = await TenantAsync();
        var limited = (await client.QueryAsync("{ contactsAggregate(groupBy: [{ field: status }], first: 2) { groups { key { status } } hasMoreGroups } }"))["contactsAggregate"]!;
        Assert.Equal(["lost", "new"], limited["groups"]!.AsArray().Select(g => g!["key"]!["status"]!.GetValue<string>()).ToList());
        Assert.True(limited["hasMoreGroups"]!.GetValue<bool>());

        var tooMany = await client.PostAsync("{ contactsAggregate(groupBy: [{ field: status }], first: 5000) { groups { count } } }");
        Assert.Equal("PAGE_SIZE_EXCEEDED", tooMany.FirstErrorCode);
        var notADate = await client.PostAsync("{ contactsAggregate(groupBy: [{ field: status, bucket: MONTH }]) { groups { count } } }");
        Assert.Equal("INVALID_AGGREGATE", notADate.FirstErrorCode);
        var unknown = await client.PostAsync("{ contactsAggregate(groupBy: [{ field: nickname }]) { groups { count } } }");
        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", unknown.FirstErrorCode);
    }
}
