using CrmEngine.PluginHost.Loading;

namespace CrmEngine.PluginHost.Tests;

public sealed class VersionTests
{
    [Theory]
    [InlineData("^0.1", "0.1.0", true)]
    [InlineData("^0.1", "0.1.9", true)]
    [InlineData("^0.1", "0.2.0", false)]
    [InlineData("^1.2.3", "1.9.0", true)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^1.2.3", "1.2.2", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData(">=0.1.0 <1.0.0", "0.9.9", true)]
    [InlineData(">=0.1.0 <1.0.0", "1.0.0", false)]
    [InlineData("1.0.0", "1.0.0", true)]
    [InlineData("1.0.0", "1.0.1", false)]
    [InlineData("^1.0 || ^2.0", "2.5.0", true)]
    [InlineData("*", "7.0.0", true)]
    [InlineData(">=1.0.0", "1.0.0-beta", false)]
    [InlineData("1.0.0", "1.0.0+build.5", true)]
    [InlineData("^1.2", "1.2", true)]
    [InlineData(">1.0.0-beta.2", "1.0.0-beta.11", true)]
    public void Ranges_include_the_versions_npm_would(string range, string version, bool included)
    {
        Assert.True(VersionRange.TryParse(range, out var parsed));
        Assert.Equal(included, parsed.Includes(PluginVersion.Parse(version)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("banana")]
    [InlineData(">=")]
    [InlineData("^1.x.0")]
    [InlineData("1.2.3.4")]
    public void Nonsense_ranges_do_not_parse(string range) => Assert.False(VersionRange.TryParse(range, out _));

    [Fact]
    public void Versions_order_by_number_and_pre_releases_come_first()
    {
        var ordered = new[] { "1.10.0", "1.2.0", "1.2.0-beta", "0.9.1" }.Select(PluginVersion.Parse).Order().Select(v => v.ToNormalizedString());
        Assert.Equal(["0.9.1", "1.2.0-beta", "1.2.0", "1.10.0"], ordered);
    }

    [Fact]
    public void Pre_releases_order_by_their_identifiers_numbers_compared_as_numbers()
    {
        var ordered = new[] { "1.0.0-beta.11", "1.0.0", "1.0.0-beta.2", "1.0.0-alpha" }.Select(PluginVersion.Parse).Order().Select(v => v.ToNormalizedString());
        Assert.Equal(["1.0.0-alpha", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0"], ordered);
    }

    [Theory]
    [InlineData("1.2", "1.2.0")]
    [InlineData("1.2.3-rc.1+build.7", "1.2.3-rc.1")]
    public void Versions_are_written_with_three_numbers_and_no_build_metadata(string text, string written) =>
        Assert.Equal(written, PluginVersion.Parse(text).ToNormalizedString());
}
