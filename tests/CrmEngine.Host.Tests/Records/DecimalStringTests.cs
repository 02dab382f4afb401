using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Records;

/// <summary>
/// Decimal and money amounts may be sent as JSON strings ("1234.50"), as most GraphQL servers take
/// decimals, in variables and in the query text alike: every digit is kept, and text that is not a
/// number a Decimal holds exactly is a typed error that writes nothing.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class DecimalStringTests(HostFixture fixture) : IAsyncLifetime
{
    private const string Create = "mutation($input: CreateItemInput!) { createItem(input: $input) { item { id price amount { amount currency } } userErrors { code message } } }";
    private const string Long = "12345678901234567.89";

    private TenantClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await fixture.Host.NewTenantAsync();
        await _client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "item",
                labels = Labels("Item", "物品"),
                fields = new[] { Field("name", "TEXT"), Field("price", "DECIMAL"), Field("amount", "MONEY", new { currency = "CNY" }) },
            },
        });
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_decimal_and_an_amount_given_as_strings_in_variables_keep_every_digit()
    {
        var item = (await _client.MutateAsync(Create, new { input = new { name = "v", price = Long, amount = new { amount = Long } } }))["item"]!;

        Assert.Equal((Long, Long, "CNY"), (Raw(item["price"]), Raw(item["amount"]!["amount"]), item["amount"]!["currency"]!.GetValue<string>()));
        var stored = (await _client.QueryAsync("query($id: ID!) { item(id: $id) { price amount { amount } } }", new { id = item["id"]!.GetValue<string>() }))["item"]!;
        Assert.Equal((Long, Long), (Raw(stored["price"]), Raw(stored["amount"]!["amount"])));
    }

    [Fact]
    public async Task A_decimal_and_an_amount_given_as_string_literals_in_the_query_keep_every_digit()
    {
        var item = (await _client.MutateAsync($"mutation {{ createItem(input: {{ name: \"l\", price: \"{Long}\", amount: {{ amount: \"-1234.50\" }} }}) {{ item {{ price amount {{ amount }} }} userErrors {{ code }} }} }}"))["item"]!;

        Assert.Equal(Long, Raw(item["price"]));
        Assert.Equal(-1234.50m, item["amount"]!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Numbers_keep_working_and_filters_take_strings_too()
    {
        await _client.MutateAsync(Create, new { input = new { name = "n", price = 1234.5m, amount = new { amount = 99.95m } } });
        await _client.MutateAsync(Create, new { input = new { name = "s", price = "1234.50", amount = new { amount = "99.95" } } });

        var matching = await _client.QueryAsync("""query($p: Decimal) { byPrice: items(filter: { price: { eq: $p } }) { totalCount } byAmount: items(filter: { amount: { gte: "99.95" } }) { totalCount } }""", new { p = "1234.5" });

        Assert.Equal((2, 2), (matching["byPrice"]!["totalCount"]!.GetValue<int>(), matching["byAmount"]!["totalCount"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("12,3")]
    [InlineData("abc")]
    [InlineData("1e999")]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("0.12345678901234567890123456789")]
    public async Task Text_that_is_not_a_decimal_a_Decimal_holds_exactly_is_a_typed_error_and_writes_nothing(string text)
    {
        var asPrice = await _client.PostAsync(Create, new { input = new { name = "bad", price = text } });
        var asAmount = await _client.PostAsync(Create, new { input = new { name = "bad", amount = new { amount = text } } });
        var inline = await _client.PostAsync($"mutation {{ createItem(input: {{ name: \"bad\", price: \"{text}\" }}) {{ userErrors {{ code }} }} }}");

        foreach (var (response, variable) in new[] { (asPrice, "$input.price"), (asAmount, "$input.amount.amount") })
        {
            Assert.Equal("INVALID_VALUE", response.FirstErrorCode);
            Assert.Equal($"Variable '{variable}' is invalid. Unable to convert '{text}' to 'Decimal'", response.Errors![0]!["message"]!.GetValue<string>());
        }

        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", inline.FirstErrorCode);
        Assert.Equal(0, (await _client.QueryAsync("{ items { totalCount } }"))["items"]!["totalCount"]!.GetValue<int>());
    }

    /// <summary>The exact JSON text of a number in a response.</summary>
    private static string Raw(JsonNode? node) => node?.ToJsonString() ?? "null";
}
