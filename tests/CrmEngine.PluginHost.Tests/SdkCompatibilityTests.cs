using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk;
using NuGetVersion = NuGet.Versioning.NuGetVersion;

namespace CrmEngine.PluginHost.Tests;

/// <summary>
/// The SDK version rule: a host whose SDK runs plugins built for versions <c>oldest</c> to
/// <c>current</c> loads a plugin when the manifest's range includes some version between them.
/// </summary>
public sealed class SdkCompatibilityTests
{
    [Theory]
    [InlineData("^0.1", true)]
    [InlineData("^0.1.1", true)]
    [InlineData("~0.1.0", true)]
    [InlineData("0.1.1", true)]
    [InlineData("^0.2", true)]
    [InlineData("^0.2.0", true)]
    [InlineData(">=0.1.0 <1.0.0", true)]
    [InlineData("^0.3 || ^0.1", true)]
    [InlineData("*", true)]
    [InlineData("<=0.1.0", true)]
    [InlineData("^0.2.1", false)]
    [InlineData("^0.3", false)]
    [InlineData("^1.0", false)]
    [InlineData(">=9.0.0", false)]
    [InlineData("^0.0.5", false)]
    [InlineData("<0.1.0", false)]
    [InlineData(">0.2.0", false)]
    [InlineData(">=0.1.5 <0.1.5", false)]
    public void A_host_running_plugins_built_for_0_1_0_to_0_2_0_loads_a_range_that_includes_one_of_them(string range, bool loads)
    {
        Assert.True(VersionRange.TryParse(range, out var parsed));
        Assert.Equal(loads, parsed.IncludesAnyBetween(PluginVersion.Parse("0.1.0"), PluginVersion.Parse("0.2.0")));
    }

    [Theory]
    [InlineData("^0.1")]
    [InlineData("^0.1.1")]
    [InlineData("^0.2")]
    [InlineData("^0.2.1")]
    [InlineData("^0.3")]
    [InlineData("^0.3.1")]
    [InlineData("^0.3.2")]
    public void This_SDK_loads_plugins_built_for_0_1_to_0_3(string range) => Assert.Null(PluginLoading.SdkProblem(Manifest(range)));

    [Theory]
    [InlineData("^0.3.3")]
    [InlineData("^0.4")]
    [InlineData("^1.0")]
    public void This_SDK_refuses_a_plugin_that_needs_a_later_one_saying_which_it_runs(string range) =>
        Assert.Equal(
            $"Plugin 'acme-partners' needs SDK {range}, but this host has SDK 0.3.2, which runs plugins built for SDK 0.1.0 to 0.3.2.",
            PluginLoading.SdkProblem(Manifest(range)));

    [Fact]
    public void The_oldest_compatible_version_is_not_after_the_current_one() =>
        Assert.True(PluginVersion.Parse(SdkInfo.OldestCompatibleVersion) <= PluginVersion.Parse(SdkInfo.Version));

    private static PluginManifest Manifest(string sdk) =>
        new("acme-partners", new NuGetVersion(1, 0, 0), "Acme.Partners.dll", new([new("en", "Partners")]), null, VersionRange.TryParse(sdk, out var range) ? range : throw new ArgumentException(sdk), new Dictionary<string, VersionRange>());
}
