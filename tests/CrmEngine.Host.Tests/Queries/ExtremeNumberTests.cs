using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Queries;

/// <summary>
/// The largest and smallest values every numeric field allows, stored by ordinary users, never
/// break a read for anyone: sums are exact at any size (a sum of two Int64 maxima exceeds Int64,
/// one of two decimal maxima exceeds decimal), averages are the exact sum divided by the count,
/// and lists, sorting, paging, filters, groups and search carry the values unchanged.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class ExtremeNumberTests(HostFixture fixture)
{
    private const string Create = "mutation($input: CreateItemInput!) { createItem(input: $input) { item { id } userErrors { code message } } }";

    private const string DecimalMax = "79228162514264337593543950335";
    private const string WidestScaled = "999999999999999999.9999999999";

    private async Task<TenantClient> TenantAsync(params object[] items)
    {
        var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "item",
                labels = Labels("Item", "物品"),
                fields = new[]
                {
                    Field("name", "TEXT", new { searchable = true }),
                    Field("qty", "INTEGER"),
                    Field("price", "DECIMAL"),
                    Field("fine", "DECIMAL", new { scale = 10 }),
                    Field("amount", "MONEY", new { currency = "CNY" }),
                },
            },
        });
        foreach (var item in items)
        {
            await client.MutateAsync(Create, new { input = item });
        }

        return client;
    }

    /// <summary>The exact JSON text of a number in a response, however large.</summary>
    private static string Raw(JsonNode? node) => node?.ToJsonString() ?? "null";

    [Fact]
    public async Task Two_records_at_the_integer_maximum_leave_the_sum_exact_for_everyone()
    {
        using var client = await TenantAsync(new { name = "alpha", qty = long.MaxValue }, new { name = "bravo", qty = long.MaxValue });
        var issued = await fixture.Host.Service<CrmEngine.Engine.Tenancy.TenantCatalog>().CreateApiKeyAsync(client.TenantId, "reader", ["user"], null, null, CancellationToken.None);
        using var reader = fixture.Host.Client(client.TenantId, issued.Key);

        foreach (var caller in new[] { client, reader })
        {
            var data = await caller.QueryAsync("{ itemsAggregate { count sum { qty } avg { qty } groups { count } } }");
            Assert.Equal("18446744073709551614", Raw(data["itemsAggregate"]!["sum"]!["qty"]));
            Assert.Equal("9223372036854775807", Raw(data["itemsAggregate"]!["avg"]!["qty"]));
        }

        await client.MutateAsync(Create, new { input = new { name = "charlie", qty = long.MinValue } });
        var all = (await client.QueryAsync("{ itemsAggregate { sum { qty } avg { qty } min { qty } max { qty } } }"))["itemsAggregate"]!;
        Assert.Equal(("9223372036854775806", "3074457345618258602"), (Raw(all["sum"]!["qty"]), Raw(all["avg"]!["qty"])));
        Assert.Equal(("-9223372036854775808", "9223372036854775807"), (Raw(all["min"]!["qty"]), Raw(all["max"]!["qty"])));
    }

    [Fact]
    public async Task Sums_of_decimals_and_amounts_are_exact_beyond_what_a_decimal_holds()
    {
        var widest = decimal.Parse(WidestScaled, System.Globalization.CultureInfo.InvariantCulture);
        using var client = await TenantAsync(
            new { name = "alpha", price = decimal.MaxValue, fine = widest, amount = new { amount = decimal.MaxValue } },
            new { name = "bravo", price = decimal.MaxValue, fine = widest, amount = new { amount = decimal.MaxValue } },
            new { name = "charlie", price = 0.0000000000000000000000000001m, fine = widest, amount = new { amount = 0.1m } },
            new { name = "delta", price = 0.2m, fine = widest, amount = new { amount = 0.2m } });
        for (var i = 0; i < 4; i++)
        {
            await client.MutateAsync(Create, new { input = new { name = "echo" + i, fine = widest } });
        }

        var totals = (await client.QueryAsync("{ itemsAggregate { sum { price fine amount } } }"))["itemsAggregate"]!["sum"]!;
        Assert.Equal("158456325028528675187087900670.2000000000000000000000000001", Raw(totals["price"]));
        Assert.Equal("7999999999999999999.9999999992", Raw(totals["fine"]));
        Assert.Equal("158456325028528675187087900670.3", Raw(totals["amount"]));

        // A finance user adds the amounts up by hand: no binary fractions.
        var small = (await client.QueryAsync("""{ itemsAggregate(filter: { name: { in: ["charlie", "delta"] } }) { sum { amount price } avg { amount } } }"""))["itemsAggregate"]!;
        Assert.Equal(("0.3", "0.2000000000000000000000000001", "0.15"), (Raw(small["sum"]!["amount"]), Raw(small["sum"]!["price"]), Raw(small["avg"]!["amount"])));
    }

    [Fact]
    public async Task Averages_divide_the_exact_sum_and_round_only_beyond_what_a_decimal_holds()
    {
        using var client = await TenantAsync(
            new { name = "alpha", qty = long.MaxValue, price = decimal.MaxValue, fine = 1m },
            new { name = "bravo", qty = long.MaxValue, price = decimal.MaxValue, fine = 1m },
            new { name = "charlie", qty = long.MinValue, price = decimal.MinValue, fine = 0m });

        var data = (await client.QueryAsync("{ itemsAggregate(groupBy: [{ field: name }]) { avg { qty price fine } groups { key { name } avg { qty price } } } }"))["itemsAggregate"]!;
        Assert.Equal("3074457345618258602", Raw(data["avg"]!["qty"]));
        Assert.Equal("26409387504754779197847983445", Raw(data["avg"]!["price"]));
        Assert.Equal("0.6666666666666666666666666667", Raw(data["avg"]!["fine"]));
        var alpha = data["groups"]!.AsArray().Single(g => g!["key"]!["name"]!.GetValue<string>() == "alpha")!;
        Assert.Equal(("9223372036854775807", DecimalMax), (Raw(alpha["avg"]!["qty"]), Raw(alpha["avg"]!["price"])));
    }

    [Fact]
    public async Task Groups_by_extreme_keys_carry_exact_sums_and_extremes()
    {
        using var client = await TenantAsync(
            new { name = "alpha", qty = long.MaxValue, price = decimal.MaxValue, amount = new { amount = decimal.MaxValue } },
            new { name = "bravo", qty = long.MaxValue, price = decimal.MaxValue, amount = new { amount = decimal.MaxValue } },
            new { name = "charlie", qty = long.MinValue, price = decimal.MinValue, amount = new { amount = 0.01m } },
            new { name = "delta" });

        var byQty = (await client.QueryAsync("{ itemsAggregate(groupBy: [{ field: qty }]) { groups { key { qty } count sum { price amount } min { price } max { amount } } } }"))["itemsAggregate"]!["groups"]!.AsArray();
        Assert.Equal(["null:1:0:0", "-9223372036854775808:1:-79228162514264337593543950335:0.01", "9223372036854775807:2:158456325028528675187087900670:158456325028528675187087900670"],
            byQty.Select(g => $"{Raw(g!["key"]!["qty"])}:{g["count"]}:{Raw(g["sum"]!["price"])}:{Raw(g["sum"]!["amount"])}"));
        Assert.Equal(DecimalMax, Raw(byQty[2]!["max"]!["amount"]));

        var byPrice = (await client.QueryAsync("{ itemsAggregate(groupBy: [{ field: price }], groupOrder: KEY_DESC) { groups { key { price } count sum { qty } } } }"))["itemsAggregate"]!["groups"]!.AsArray();
        Assert.Equal([DecimalMax + ":2:18446744073709551614", "-" + DecimalMax + ":1:-9223372036854775808", "null:1:0"],
            byPrice.Select(g => $"{Raw(g!["key"]!["price"])}:{g["count"]}:{Raw(g["sum"]!["qty"])}"));
    }

    [Fact]
    public async Task Extreme_values_list_sort_page_filter_and_search_unchanged()
    {
        var widest = decimal.Parse(WidestScaled, System.Globalization.CultureInfo.InvariantCulture);
        using var client = await TenantAsync(
            new { name = "alpha max", qty = long.MaxValue, price = decimal.MaxValue, fine = widest, amount = new { amount = decimal.MaxValue } },
            new { name = "bravo min", qty = long.MinValue, price = decimal.MinValue, fine = -widest, amount = new { amount = -decimal.MaxValue } },
            new { name = "charlie tiny", qty = 0, price = 0.0000000000000000000000000001m, fine = 0.0000000001m, amount = new { amount = 0.01m } },
            new { name = "delta empty" });

        const string Fields = "name qty price fine amount { amount }";
        foreach (var (sort, expected) in new[]
        {
            ("qty", new[] { "delta empty", "bravo min", "charlie tiny", "alpha max" }),
            ("price", ["delta empty", "bravo min", "charlie tiny", "alpha max"]),
            ("fine", ["delta empty", "bravo min", "charlie tiny", "alpha max"]),
            ("amount", ["delta empty", "bravo min", "charlie tiny", "alpha max"]),
        })
        {
            // One record a page: every cursor carries an extreme value.
            var names = new List<string>();
            string? after = null;
            do
            {
                var page = (await client.QueryAsync($"query($after: String) {{ items(first: 1, after: $after, orderBy: [{{ {sort}: ASC }}]) {{ nodes {{ {Fields} }} pageInfo {{ hasNextPage endCursor }} }} }}", new { after }))["items"]!;
                names.AddRange(page["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
                after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
            }
            while (after is not null);
            Assert.Equal(expected, names);
            var descending = await client.QueryAsync($"{{ items(orderBy: [{{ {sort}: DESC }}]) {{ nodes {{ name }} }} }}");
            Assert.Equal(expected.Reverse(), SalesData.Names(descending["items"]!));
        }

        var max = (await client.QueryAsync($"{{ items(filter: {{ name: {{ eq: \"alpha max\" }} }}) {{ nodes {{ {Fields} }} }} }}"))["items"]!["nodes"]![0]!;
        Assert.Equal(("9223372036854775807", DecimalMax, WidestScaled, DecimalMax), (Raw(max["qty"]), Raw(max["price"]), Raw(max["fine"]), Raw(max["amount"]!["amount"])));

        foreach (var (filter, expected) in new[]
        {
            ($"qty: {{ eq: {long.MinValue} }}", new[] { "bravo min" }),
            ($"qty: {{ gte: {long.MaxValue} }}", ["alpha max"]),
            ($"price: {{ gt: 79228162514264337593543950334 }}", ["alpha max"]),
            ($"price: {{ lt: -79228162514264337593543950334 }}", ["bravo min"]),
            ($"price: {{ gt: 0, lt: 0.0000000000000000000000000002 }}", ["charlie tiny"]),
            ($"fine: {{ between: [-{WidestScaled}, -{WidestScaled}] }}", ["bravo min"]),
            ($"amount: {{ gt: 79228162514264337593543950334 }}", ["alpha max"]),
            ("amount: { isNull: true }", ["delta empty"]),
        })
        {
            var found = await client.QueryAsync($"{{ items(filter: {{ {filter} }}) {{ nodes {{ name }} }} }}");
            Assert.True(expected.SequenceEqual(SalesData.Names(found["items"]!)), filter);
        }

        var hits = (await client.QueryAsync($"{{ search(text: \"min\") {{ record {{ ... on Item {{ {Fields} }} }} }} }}"))["search"]!.AsArray();
        var min = Assert.Single(hits)!["record"]!;
        Assert.Equal(("-9223372036854775808", "-" + DecimalMax, "-" + WidestScaled, "-" + DecimalMax), (Raw(min["qty"]), Raw(min["price"]), Raw(min["fine"]), Raw(min["amount"]!["amount"])));
    }
}
