using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Fields;

[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class FieldKindTests
{
    private static FieldValue Normalize(FieldDefinition field, object input) => field.Of().Normalize(field, input);

    [Fact]
    public void Emails_are_trimmed_and_lower_cased()
    {
        Assert.Equal("li.lei@example.cn", Normalize(Field("email", FieldType.Email), "  Li.Lei@Example.CN ").Value);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    public void A_malformed_email_is_an_invalid_value(string input)
    {
        Assert.Equal(ErrorCodes.InvalidValue, Normalize(Field("email", FieldType.Email), input).Error!.Code);
    }

    [Theory]
    [InlineData("+86 10 1234 5678", true)]
    [InlineData("(010) 8888-9999", true)]
    [InlineData("12", false)]
    [InlineData("call me", false)]
    public void Phones_need_digits_and_phone_punctuation_only(string input, bool valid)
    {
        Assert.Equal(valid, Normalize(Field("phone", FieldType.Phone), input).IsOk);
    }

    [Theory]
    [InlineData("https://example.com/a?b=c", true)]
    [InlineData("ftp://example.com", false)]
    [InlineData("example.com", false)]
    public void Urls_must_be_absolute_http_or_https(string input, bool valid)
    {
        Assert.Equal(valid, Normalize(Field("site", FieldType.Url), input).IsOk);
    }

    [Fact]
    public void Text_longer_than_max_length_is_too_long_and_counts_characters_not_bytes()
    {
        var field = Field("name", FieldType.Text) with { MaxLength = 4 };
        Assert.True(Normalize(field, "华为技术").IsOk);
        Assert.Equal(ErrorCodes.TooLong, Normalize(field, "华为技术公").Error!.Code);
    }

    [Fact]
    public void A_pattern_is_enforced()
    {
        var field = Field("sku", FieldType.Text) with { Pattern = "^[A-Z]{3}-[0-9]+$" };
        Assert.True(Normalize(field, "ABC-12").IsOk);
        Assert.Equal(ErrorCodes.PatternMismatch, Normalize(field, "abc-12").Error!.Code);
    }

    [Fact]
    public void Integers_accept_exact_whole_numbers_only_and_respect_min_and_max()
    {
        var field = Field("score", FieldType.Integer) with { Min = 0, Max = 100 };
        Assert.Equal(42L, Normalize(field, 42).Value);
        Assert.Equal(42L, Normalize(field, "42").Value);
        Assert.Equal(ErrorCodes.InvalidValue, Normalize(field, 4.5m).Error!.Code);
        Assert.Equal(ErrorCodes.OutOfRange, Normalize(field, 101).Error!.Code);
    }

    [Fact]
    public void Decimals_refuse_more_places_than_their_scale()
    {
        var field = Field("rate", FieldType.Decimal) with { Scale = 2 };
        Assert.Equal(1.25m, Normalize(field, 1.25m).Value);
        Assert.Equal(ErrorCodes.InvalidValue, Normalize(field, 1.255m).Error!.Code);
    }

    [Fact]
    public void Money_takes_the_field_currency_when_none_is_given()
    {
        var field = Field("budget", FieldType.Money) with { Currency = "CNY" };
        Assert.Equal(new Money(1200.5m, "CNY"), Normalize(field, new Dictionary<string, object?> { ["amount"] = 1200.5m }).Value);
        Assert.Equal(new Money(10m, "USD"), Normalize(field, new Dictionary<string, object?> { ["amount"] = 10m, ["currency"] = "usd" }).Value);
    }

    [Fact]
    public void Money_without_any_currency_is_refused()
    {
        var field = Field("budget", FieldType.Money);
        Assert.Equal(ErrorCodes.Required, Normalize(field, new Dictionary<string, object?> { ["amount"] = 1m }).Error!.Code);
    }

    [Fact]
    public void A_picklist_value_must_be_an_active_option()
    {
        var field = Picklist("status", "new", "won") with
        {
            Options = [new PicklistOption { Value = "new", Labels = LocalizedText.Of("New", "新建") }, new PicklistOption { Value = "old", Labels = LocalizedText.Of("Old", "旧"), Active = false }],
        };
        Assert.True(Normalize(field, "new").IsOk);
        Assert.Equal(ErrorCodes.InvalidOption, Normalize(field, "old").Error!.Code);
        Assert.Equal(ErrorCodes.InvalidOption, Normalize(field, "missing").Error!.Code);
    }

    [Fact]
    public void Multi_picklists_store_distinct_values_in_one_delimited_column()
    {
        var field = Picklist("tags", "vip", "新客户", "partner") with { Type = FieldType.MultiPicklist };
        var value = Normalize(field, new List<object?> { "vip", "新客户", "vip" }).Value;
        Assert.Equal(["vip", "新客户"], (IReadOnlyList<string>)value!);
        var row = new Dictionary<string, object?>();
        field.Of().Write(field, value, row);
        Assert.Equal("|vip|新客户|", row["tags"]);
        Assert.Equal(value, field.Of().Read(field, row));
    }

    [Fact]
    public void Date_times_are_stored_in_utc_to_the_microsecond()
    {
        var value = (DateTime)Normalize(Field("at", FieldType.DateTime), "2025-03-31T09:30:00.1234567+08:00").Value!;
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(new DateTime(2025, 3, 31, 1, 30, 0, DateTimeKind.Utc).AddTicks(1234560), value);
    }

    [Fact]
    public void Auto_numbers_pad_the_counter_and_fill_in_the_date()
    {
        Assert.Equal("QUO-2025-000123", AutoNumberKind.Format("QUO-{yyyy}-{000000}", 123, new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc)));
    }
}
