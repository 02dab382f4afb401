using CrmEngine.Engine.Metadata;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Metadata;

[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class NamingAndLabelTests
{
    [Theory]
    [InlineData("salesOrder", "sales_order")]
    [InlineData("lead", "lead")]
    [InlineData("accountId", "account_id")]
    public void Api_names_become_snake_case_columns(string name, string column) => Assert.Equal(column, Naming.ToSnakeCase(name));

    [Theory]
    [InlineData("lead", "leads")]
    [InlineData("opportunity", "opportunities")]
    [InlineData("activity", "activities")]
    [InlineData("address", "addresses")]
    [InlineData("survey", "surveys")]
    public void Plurals_follow_english_rules(string name, string plural) => Assert.Equal(plural, Naming.Pluralize(name));

    [Theory]
    [InlineData("lead", true)]
    [InlineData("Lead", false)]
    [InlineData("sales_order", false)]
    [InlineData("x", false)]
    [InlineData("线索", false)]
    public void Api_names_are_camel_case_ascii(string name, bool valid) => Assert.Equal(valid, Naming.IsValidApiName(name));

    [Fact]
    public void Labels_fall_back_from_region_to_language_to_english()
    {
        var labels = new LocalizedText([new("en", "Lead"), new("zh-cn", "线索")]);
        Assert.Equal("线索", labels.Get("zh-CN"));
        Assert.Equal("线索", labels.Get("zh-TW"));
        Assert.Equal("Lead", labels.Get("fr"));
        Assert.Equal("Lead", labels.Get(null));
    }

    [Fact]
    public void Merging_labels_replaces_only_the_given_locales()
    {
        var merged = LocalizedText.Of("Lead", "线索").Merge(new LocalizedText([new("zh-CN", "潜在客户"), new("ja", "リード")]));
        Assert.Equal("Lead", merged.Get("en"));
        Assert.Equal("潜在客户", merged.Get("zh-CN"));
        Assert.Equal("リード", merged.Get("ja"));
    }
}
