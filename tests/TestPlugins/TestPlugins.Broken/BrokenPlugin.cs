using CrmEngine.Sdk.Plugins;

namespace TestPlugins.Broken;

/// <summary>Fails while being configured: the host must refuse it and carry on.</summary>
public sealed class BrokenPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder) => throw new InvalidOperationException("configuration file missing");
}
