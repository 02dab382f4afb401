using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Fields;

/// <summary>
/// The registry of field kinds is where every layer asks what a field type can do; these are the
/// answers integrators see as the API's filters, sort keys, group keys, aggregates and type changes.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class FieldKindRegistryTests
{
    private static readonly FieldType[] Textual = [FieldType.Text, FieldType.LongText, FieldType.Email, FieldType.Phone, FieldType.Url, FieldType.Picklist];

    public static TheoryData<FieldType> AllTypes => [.. Enum.GetValues<FieldType>()];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Every_field_type_has_its_own_kind(FieldType type)
    {
        Assert.Equal(type, FieldKinds.For(type).Type);
    }

    [Fact]
    public void Data_keeping_type_changes_are_among_text_types_between_text_and_numbers_widening_and_to_text()
    {
        var expected = new HashSet<(FieldType, FieldType)>(
            from a in Textual from b in Textual select (a, b))
        {
            (FieldType.Integer, FieldType.Decimal),
            (FieldType.Integer, FieldType.Text), (FieldType.Integer, FieldType.LongText),
            (FieldType.Decimal, FieldType.Text), (FieldType.Decimal, FieldType.LongText),
            (FieldType.Boolean, FieldType.Text), (FieldType.Boolean, FieldType.LongText),
            (FieldType.Text, FieldType.Integer), (FieldType.Text, FieldType.Decimal),
            (FieldType.LongText, FieldType.Integer), (FieldType.LongText, FieldType.Decimal),
            (FieldType.Picklist, FieldType.MultiPicklist),
            (FieldType.Date, FieldType.DateTime),
        };

        var supported = from a in Enum.GetValues<FieldType>() from b in Enum.GetValues<FieldType>() where TypeChange.IsSupported(a, b) select (a, b);

        Assert.Equal(expected.Order(), supported.Order());
    }

    [Fact]
    public void Long_text_multi_picklists_and_attachments_neither_sort_nor_group_and_money_does_not_group()
    {
        var sortable = Enum.GetValues<FieldType>().Where(t => !FieldKinds.For(t).IsSortable);
        var ungroupable = Enum.GetValues<FieldType>().Where(t => !FieldKinds.For(t).IsGroupable);

        Assert.Equal([FieldType.LongText, FieldType.MultiPicklist, FieldType.Attachment], sortable.Order());
        Assert.Equal([FieldType.LongText, FieldType.Money, FieldType.MultiPicklist, FieldType.Attachment], ungroupable.Order());
    }

    [Theory]
    [InlineData(AggregateFunction.Sum, new[] { FieldType.Integer, FieldType.Decimal, FieldType.Money })]
    [InlineData(AggregateFunction.Avg, new[] { FieldType.Integer, FieldType.Decimal, FieldType.Money })]
    [InlineData(AggregateFunction.Min, new[] { FieldType.Integer, FieldType.Decimal, FieldType.Money, FieldType.Date, FieldType.DateTime })]
    [InlineData(AggregateFunction.Max, new[] { FieldType.Integer, FieldType.Decimal, FieldType.Money, FieldType.Date, FieldType.DateTime })]
    public void Sums_and_averages_take_numbers_and_extremes_take_numbers_and_dates(AggregateFunction function, FieldType[] types)
    {
        // Rollups and formulas aggregate as their result type does (below).
        var stored = Enum.GetValues<FieldType>().Where(t => t is not (FieldType.Rollup or FieldType.Formula));
        Assert.Equal(types.Order(), stored.Where(t => FieldKinds.For(t).Aggregates.Contains(function)).Order());
    }

    [Theory]
    [InlineData(FieldType.Integer)]
    [InlineData(FieldType.Decimal)]
    [InlineData(FieldType.Date)]
    [InlineData(FieldType.DateTime)]
    public void A_rollup_reads_filters_sorts_and_aggregates_as_its_result_type_and_is_read_only(FieldType result)
    {
        var rollup = new FieldDefinition
        {
            Name = "total",
            Type = FieldType.Rollup,
            Labels = LocalizedText.Empty,
            Rollup = new RollupDefinition { Function = RollupFunction.Max, Entity = "invoice", Lookup = "account", Field = "x", ResultType = result },
        };
        var kind = rollup.Of();
        var plain = FieldKinds.For(result);

        Assert.Equal(FieldType.Rollup, kind.Type);
        Assert.Equal((plain.ApiType, plain.FilterType, plain.IsSortable), (kind.ApiType, kind.FilterType, kind.IsSortable));
        Assert.Equal(plain.Aggregates, kind.Aggregates);
        Assert.Equal(plain.Columns(rollup with { Type = result }).Single().ClrType, kind.Columns(rollup).Single().ClrType);
        Assert.False(kind.IsWritable);
        Assert.False(kind.SupportsUnique);
        Assert.False(kind.SupportsDefault);
    }

    [Theory]
    [InlineData(FieldType.Integer)]
    [InlineData(FieldType.Decimal)]
    [InlineData(FieldType.Text)]
    [InlineData(FieldType.Boolean)]
    [InlineData(FieldType.Date)]
    [InlineData(FieldType.DateTime)]
    public void A_formula_reads_filters_sorts_groups_and_aggregates_as_its_result_type_and_is_read_only(FieldType result)
    {
        var formula = new FieldDefinition
        {
            Name = "computed",
            Type = FieldType.Formula,
            Labels = LocalizedText.Empty,
            Formula = new FormulaDefinition { Expression = "x", ResultType = result },
        };
        var kind = formula.Of();
        var plain = FieldKinds.For(result);

        Assert.Equal(FieldType.Formula, kind.Type);
        Assert.Equal((plain.ApiType, plain.FilterType, plain.IsSortable, plain.IsGroupable), (kind.ApiType, kind.FilterType, kind.IsSortable, kind.IsGroupable));
        Assert.Equal(plain.Aggregates, kind.Aggregates);
        Assert.Equal(plain.Columns(formula with { Type = result }).Single().ClrType, kind.Columns(formula).Single().ClrType);
        Assert.False(kind.IsWritable);
        Assert.False(kind.SupportsUnique);
    }

    [Fact]
    public void Distinct_counts_take_every_type_that_sorts()
    {
        Assert.All(Enum.GetValues<FieldType>(), t => Assert.Equal(FieldKinds.For(t).IsSortable, FieldKinds.For(t).Aggregates.Contains(AggregateFunction.CountDistinct)));
    }
}
