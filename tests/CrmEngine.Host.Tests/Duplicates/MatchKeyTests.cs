using CrmEngine.Duplicates.Matching;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Duplicates;

/// <summary>The matchers' keys: what counts as the same company, address, domain or phone number.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class MatchKeyTests
{
    [Theory]
    [InlineData("杭州示例网络科技有限公司", "杭州示例网络科技")]
    [InlineData("杭州示例网络科技股份有限公司", "杭州示例网络科技有限责任公司")]
    [InlineData("阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术")]
    [InlineData("华为技术集团有限公司", "华为技术")]
    [InlineData("腾讯控股集团", "腾讯")]
    [InlineData("Acme Co., Ltd.", "ACME LIMITED")]
    [InlineData("Acme, Inc.", "acme corp")]
    [InlineData("Siemens GmbH", "SIEMENS")]
    [InlineData("Ｆｏｏ Ｂａｒ Ｌｔｄ．", "foo-bar llc")]
    [InlineData("Acme (Europe) Holdings Ltd", "Acme")]
    public void Company_names_match_without_legal_forms_punctuation_width_or_parenthesized_parts(string one, string other)
    {
        Assert.NotNull(CompanyNames.Key(one));
        Assert.Equal(CompanyNames.Key(one), CompanyNames.Key(other));
    }

    [Theory]
    [InlineData("杭州示例网络科技有限公司", "上海示例网络科技有限公司")]
    [InlineData("Acme Co., Ltd.", "Acme Tools Co., Ltd.")]
    public void Different_companies_keep_different_keys(string one, string other) =>
        Assert.NotEqual(CompanyNames.Key(one), CompanyNames.Key(other));

    [Theory]
    [InlineData("有限公司")]
    [InlineData("  ., ")]
    public void A_name_that_is_only_a_legal_form_or_punctuation_has_no_key(string name) => Assert.Null(CompanyNames.Key(name));

    [Theory]
    [InlineData("138-0013-8000", "86", "+8613800138000")]
    [InlineData("+86 138 0013 8000", "86", "+8613800138000")]
    [InlineData("0086 13800138000", "1", "+8613800138000")]
    [InlineData("（010）6552 9988", "86", "+861065529988")]
    [InlineData("+1 (415) 555-0100 ext. 12", "86", "+14155550100")]
    [InlineData("415-555-0100", "1", "+14155550100")]
    public void Phone_numbers_become_E164_national_ones_in_the_rules_country(string number, string callingCode, string e164) =>
        Assert.Equal(e164, PhoneNumbers.ToE164(number, callingCode));

    [Theory]
    [InlineData("123")]
    [InlineData("not a number")]
    public void Too_few_digits_give_no_phone_key(string number) => Assert.Null(PhoneNumbers.ToE164(number, "86"));

    [Theory]
    [InlineData(" Li.Lei@Example.COM ", "li.lei@example.com")]
    [InlineData("ＬＩ＠ｅｘａｍｐｌｅ．ｃｏｍ", "li@example.com")]
    [InlineData("no-at-sign", null)]
    [InlineData("a@b@c", null)]
    public void Email_addresses_are_compared_without_case_width_or_surrounding_space(string address, string? key) =>
        Assert.Equal(key, EmailKeys.Address(address));

    [Theory]
    [InlineData("li@Example.com", "example.com")]
    [InlineData("https://www.example.com/about", "example.com")]
    [InlineData("example.com", "example.com")]
    [InlineData("someone@gmail.com", null)]
    [InlineData("someone@qq.com", null)]
    [InlineData("someone@163.com", null)]
    [InlineData("localhost", null)]
    public void Email_domains_come_from_addresses_or_web_addresses_and_free_mail_never_matches(string value, string? key) =>
        Assert.Equal(key, EmailKeys.Domain(value));

    [Fact]
    public void Exact_ignores_case_width_and_runs_of_space()
    {
        Assert.Equal(TextKeys.Exact("  ＡＢＣ   Trading "), TextKeys.Exact("abc trading"));
        Assert.NotEqual(TextKeys.Exact("abc trading"), TextKeys.Exact("abctrading"));
        Assert.Null(TextKeys.Exact("   "));
    }
}
