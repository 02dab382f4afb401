using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Tests;

/// <summary>The SDK's money arithmetic and refused-write helpers, which every module uses the same way.</summary>
public sealed class MoneyAndWritesTests
{
    [Theory]
    [InlineData("2.345", 2, "2.35")]
    [InlineData("-2.345", 2, "-2.35")]
    [InlineData("2.344", 2, "2.34")]
    [InlineData("2.5", 0, "3")]
    [InlineData("0.125", 2, "0.13")]
    public void Amounts_round_half_away_from_zero(string amount, int decimals, string rounded) =>
        Assert.Equal(decimal.Parse(rounded, System.Globalization.CultureInfo.InvariantCulture), Money.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), decimals));

    [Fact]
    public void A_hundred_split_three_ways_gives_the_spare_cent_to_the_first_part() =>
        Assert.Equal([33.34m, 33.33m, 33.33m], Money.Allocate(100m, [1m, 1m, 1m]));

    [Fact]
    public void Spare_cents_go_to_the_parts_that_lost_the_most_when_cut_down()
    {
        // 10.00 over 1 : 2 : 3 is 1.6666…, 3.3333…, 5.0000: cut to 1.66, 3.33, 5.00 (9.99), and the
        // spare cent goes to the first part, which lost 0.0066… against the second's 0.0033….
        Assert.Equal([1.67m, 3.33m, 5.00m], Money.Allocate(10m, [1m, 2m, 3m]));
    }

    [Fact]
    public void Five_cents_over_three_equal_parts_give_two_two_and_one() =>
        Assert.Equal([0.02m, 0.02m, 0.01m], Money.Allocate(0.05m, [1m, 1m, 1m]));

    [Fact]
    public void A_currency_without_minor_units_splits_in_whole_units() =>
        Assert.Equal([34m, 33m, 33m], Money.Allocate(100m, [1m, 1m, 1m], decimals: 0));

    [Fact]
    public void A_negative_total_such_as_a_refund_splits_symmetrically() =>
        Assert.Equal([-33.34m, -33.33m, -33.33m], Money.Allocate(-100m, [1m, 1m, 1m]));

    [Fact]
    public void Whole_amounts_stay_whole_as_clients_see_them() =>
        Assert.Equal(["96000", "4000"], Money.Allocate(100000m, [96m, 4m]).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Weights_that_sum_to_nothing_give_nothing_to_anyone() =>
        Assert.Equal([0m, 0m], Money.Allocate(50m, [0m, 0m]));

    [Fact]
    public void The_parts_always_add_up_to_the_total()
    {
        var random = new Random(20261207);
        for (var round = 0; round < 500; round++)
        {
            var total = random.Next(0, 10_000_000) / 100m;
            var weights = Enumerable.Range(0, random.Next(1, 12)).Select(_ => (decimal)random.Next(1, 100_000) / 7m).ToArray();

            var parts = Money.Allocate(total, weights);

            Assert.Equal(total, parts.Sum());
            Assert.All(parts, part => Assert.Equal(part, Money.Round(part)));
        }
    }

    [Fact]
    public void A_refused_write_becomes_the_operations_refusal_with_its_code()
    {
        var refused = new WriteOutcome(null, [new SdkError("UNIQUE_VIOLATION", "That e-mail is taken.", "email")]);

        var error = Assert.Throws<OperationException>(() => refused.Require());
        var renamed = Assert.Throws<OperationException>(() => refused.Require("contactEmail"));

        Assert.Equal(("UNIQUE_VIOLATION", "That e-mail is taken.", "email"), (error.Code, error.Message, error.Field));
        Assert.Equal("contactEmail", renamed.Field);
    }

    [Fact]
    public async Task A_write_that_succeeded_gives_its_record()
    {
        var record = new FakeRecord();

        Assert.Same(record, await Task.FromResult(new WriteOutcome(record, [])).RequireAsync());
    }

    private sealed class FakeRecord : CrmRecord
    {
        public override string Entity => "task";

        public override Guid Id { get; } = Guid.CreateVersion7();

        public override long Version => 1;

        public override DateTime CreatedAt => DateTime.UnixEpoch;

        public override DateTime UpdatedAt => DateTime.UnixEpoch;

        public override Guid? OwnerId => null;

        public override object? GetValue(string field) => null;
    }
}
