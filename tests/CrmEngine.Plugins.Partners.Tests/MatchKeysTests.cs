using System.Reflection;
using System.Runtime.Loader;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// The keys deal registrations are matched by, tested on the plugin assembly as built (loaded from
/// its plugin folder, as the host loads it): company names however they are written, company e-mail
/// domains but not public mailboxes, phone numbers by their digits.
/// </summary>
public sealed class MatchKeysTests
{
    private static readonly Type Keys = new AssemblyLoadContext("partners-match-keys")
        .LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Partners", "CrmEngine.Plugins.Partners.dll"))
        .GetType("CrmEngine.Plugins.Partners.Matching.MatchKeys", throwOnError: true)!;

    private static string? Key(string method, string? value) =>
        (string?)Keys.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [value]);

    [Theory]
    [InlineData("深圳市腾达科技有限公司")]
    [InlineData("腾达科技")]
    [InlineData("腾达科技股份有限公司")]
    [InlineData("腾达科技有限责任公司")]
    [InlineData("腾达科技集团")]
    [InlineData("腾达科技集团有限公司")]
    [InlineData("腾达科技（深圳）有限公司")]
    [InlineData("广东省深圳市腾达科技有限公司")]
    [InlineData(" 腾达 科技 有限公司 ")]
    [InlineData("深圳腾达科技")]
    [InlineData("广东深圳腾达科技有限公司")]
    public void Chinese_legal_forms_places_of_registration_and_spaces_do_not_change_a_company(string name) =>
        Assert.Equal("腾达科技", Key("Company", name));

    [Theory]
    [InlineData("ACME Co., Ltd.")]
    [InlineData("Acme Inc")]
    [InlineData("Acme, Inc.")]
    [InlineData("ACME LLC")]
    [InlineData("acme gmbh")]
    [InlineData("Acme Limited")]
    [InlineData("Acme Group Holdings")]
    [InlineData("Ａｃｍｅ　Ｃｏ．，　Ｌｔｄ．")]
    [InlineData("ACME (Shanghai) Co., Ltd.")]
    public void English_legal_forms_case_punctuation_and_full_width_letters_do_not_change_a_company(string name) =>
        Assert.Equal("acme", Key("Company", name));

    [Theory]
    [InlineData("Disco Inc", "disco")]
    [InlineData("Blue Sky Technology Co., Ltd.", "blueskytechnology")]
    [InlineData("华为技术有限公司", "华为技术")]
    [InlineData("阿里巴巴集团控股有限公司", "阿里巴巴")]
    [InlineData("ＡＢＣ１２３", "abc123")]
    [InlineData("上海星辰科技有限公司", "星辰科技")]
    [InlineData("上海银行股份有限公司", "上海银行")]
    [InlineData("上海市银行", "上海银行")]
    [InlineData("北京银行", "北京银行")]
    [InlineData("城市之光科技有限公司", "城市之光科技")]
    public void Only_legal_forms_are_stripped_and_only_whole_words_of_latin_names(string name, string key) =>
        Assert.Equal(key, Key("Company", name));

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("有限公司")]
    [InlineData("Ltd.")]
    [InlineData("Co., Ltd.")]
    [InlineData("（）")]
    public void A_name_that_is_blank_or_only_a_legal_form_has_no_key(string? name) =>
        Assert.Null(Key("Company", name));

    [Theory]
    [InlineData("wang@tengda.com.cn", "tengda.com.cn")]
    [InlineData(" Wang.Lei@TENGDA.com.cn ", "tengda.com.cn")]
    [InlineData("li@mail.tengda.com.cn", "tengda.com.cn")]
    [InlineData("li@mail.com", null)]
    [InlineData("boss@qq.com", null)]
    [InlineData("boss@QQ.COM", null)]
    [InlineData("sales@163.com", null)]
    [InlineData("sales@126.com", null)]
    [InlineData("someone@gmail.com", null)]
    [InlineData("someone@outlook.com", null)]
    [InlineData("not an address", null)]
    [InlineData("@tengda.com", null)]
    [InlineData(null, null)]
    public void Company_mail_domains_match_and_public_mail_services_never_do(string? email, string? domain) =>
        Assert.Equal(domain, Key("EmailDomain", email));

    [Theory]
    [InlineData("https://www.tengda.com.cn/about", "tengda.com.cn")]
    [InlineData("http://TENGDA.com", "tengda.com")]
    [InlineData("tengda", null)]
    public void A_website_gives_its_domain(string url, string? domain) =>
        Assert.Equal(domain, Key("WebsiteDomain", url));

    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+86 138-0013-8000", "13800138000")]
    [InlineData("0086 138 0013 8000", "13800138000")]
    [InlineData("8613800138000", "13800138000")]
    [InlineData("（０２１）６２３４ ５６７８", "02162345678")]
    [InlineData("+86 21 6234 5678", "02162345678")]
    [InlineData("0086-512-6688-1234", "051266881234")]
    [InlineData("021-62345678", "02162345678")]
    [InlineData("12345", null)]
    [InlineData("", null)]
    public void Phones_compare_by_the_digits_dialled_without_the_country_code(string phone, string? key) =>
        Assert.Equal(key, Key("Phone", phone));
}
