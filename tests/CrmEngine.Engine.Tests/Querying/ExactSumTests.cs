using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>Sums are exact on every path a read takes, including reads inside an open write (hooks, rules, plugins).</summary>
public sealed class ExactSumTests : IAsyncLifetime
{
    private readonly SumInBefore _hook = new();
    private readonly EngineHarness _engine;

    public ExactSumTests() => _engine = new EngineHarness(services => services.AddSingleton<IRecordHook>(_hook));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A_sum_read_inside_a_write_is_as_exact_as_any_other()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("item", Field("name", FieldType.Text), Field("price", FieldType.Decimal), Field("qty", FieldType.Integer)));
        foreach (var name in new[] { "a", "b" })
        {
            Assert.True((await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["name"] = name, ["price"] = decimal.MaxValue, ["qty"] = long.MaxValue }, CancellationToken.None)).Succeeded);
        }

        _hook.Aggregator = _engine.Services.GetRequiredService<RecordAggregator>();
        var written = await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["name"] = "sum", ["price"] = 0.5m }, CancellationToken.None);

        Assert.True(written.Succeeded, string.Join("; ", written.Errors.Select(e => e.Message)));
        // The write's own new record counts: the hook runs before it is saved, so it does not.
        Assert.Equal(ExactDecimal.Parse("158456325028528675187087900670"), _hook.Sums[new Aggregate(AggregateFunction.Sum, "price")]);
        Assert.Equal(ExactDecimal.Parse("18446744073709551614"), _hook.Sums[new Aggregate(AggregateFunction.Sum, "qty")]);
    }

    private sealed class SumInBefore : IRecordHook
    {
        public RecordAggregator? Aggregator { get; set; }

        public IReadOnlyDictionary<Aggregate, object?> Sums { get; private set; } = new Dictionary<Aggregate, object?>();

        public string Source => "test";

        public bool AppliesTo(RecordChange change) => Aggregator is not null;

        public async Task BeforeAsync(RecordChange change, CancellationToken cancellationToken)
        {
            var query = new AggregateQuery("item", new AggregateRequest { Values = [new Aggregate(AggregateFunction.Sum, "price"), new Aggregate(AggregateFunction.Sum, "qty")] });
            Sums = (await Aggregator!.AggregateAsync(change.Session, query, cancellationToken)).Totals!.Values;
        }
    }
}

/// <summary>The exact number sums travel in.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class ExactDecimalTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0.000", "0")]
    [InlineData("12.500", "12.5")]
    [InlineData("+7", "7")]
    [InlineData("1.5e3", "1500")]
    [InlineData("15E-3", "0.015")]
    [InlineData("-0.0000000000000000000000000000001", "-0.0000000000000000000000000000001")]
    [InlineData("158456325028528675187087900670.2000000000000000000000000001", "158456325028528675187087900670.2000000000000000000000000001")]
    public void Number_text_reads_exactly_and_writes_without_trailing_zeros(string text, string canonical) =>
        Assert.Equal(canonical, ExactDecimal.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("1e")]
    [InlineData("NaN")]
    [InlineData("1e99999")]
    public void Text_that_is_not_a_number_is_refused(string text) => Assert.False(ExactDecimal.TryParse(text, out _));

    [Fact]
    public void Sums_go_beyond_decimal_and_come_back_only_when_exact()
    {
        var sum = ExactDecimal.From(decimal.MaxValue) + ExactDecimal.From(decimal.MaxValue) + ExactDecimal.From(decimal.MinValue);
        Assert.True(sum.TryToDecimal(out var back));
        Assert.Equal(decimal.MaxValue, back);
        Assert.False((sum + ExactDecimal.From(1m)).TryToDecimal(out _));
        Assert.False((ExactDecimal.From(1m) + ExactDecimal.Parse("1e-29")).TryToDecimal(out _));
        Assert.Equal(ExactDecimal.From(long.MaxValue) + ExactDecimal.From(long.MaxValue), ExactDecimal.Parse("18446744073709551614"));
    }

    [Theory]
    [InlineData("2", 3, "0.6666666666666666666666666667")]
    [InlineData("1", 8, "0.125")]
    [InlineData("5", 2, "2.5")]
    [InlineData("-5", 2, "-2.5")]
    [InlineData("237684487542793012780631851005", 3, "79228162514264337593543950335")]
    [InlineData("158456325028528675187087900671", 2, "79228162514264337593543950336")]
    [InlineData("1999999999999999999.9999999997", 3, "666666666666666666.66666666657")]
    [InlineData("25", 10, "2.5")]
    [InlineData("0.5", 1, "0.5")]
    public void Division_rounds_once_to_the_places_a_decimal_holds(string sum, long count, string expected)
    {
        if (!decimal.TryParse(expected, System.Globalization.CultureInfo.InvariantCulture, out var quotient))
        {
            Assert.Throws<OverflowException>(() => ExactDecimal.Parse(sum).DivideToDecimal(count));
            return;
        }

        Assert.Equal(quotient, ExactDecimal.Parse(sum).DivideToDecimal(count));
        Assert.Equal(expected, ExactDecimal.From(ExactDecimal.Parse(sum).DivideToDecimal(count)).ToString());
    }
}
