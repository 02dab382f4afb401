namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// One host shared by the tests of a class or collection, started once: each test makes its own
/// tenant on it, so the tests stay independent. Classes that need a host configured their own way
/// derive a fixture of their own with the settings.
/// </summary>
public class SharedHostFixture(IDictionary<string, string?>? settings = null) : IDisposable
{
    public CrmHost Host { get; } = new(settings: settings);

    public void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>One host for the whole test assembly, with no plugin installed; each test makes its own tenant on it.</summary>
public sealed class HostFixture : SharedHostFixture;

[CollectionDefinition(Name)]
public sealed class HostGroup : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}

/// <summary>
/// A host with the module plugins installed (sales), as a deployed host has them. Its own host,
/// because an installed plugin reserves its entity names on every tenant: the other tests define
/// entities of their own (account) that sales declares.
/// </summary>
public sealed class ModuleHostFixture() : SharedHostFixture(new Dictionary<string, string?> { ["Crm:PluginDirectory"] = HostProcess.ModulePlugins });

[CollectionDefinition(Name)]
public sealed class ModuleHostGroup : ICollectionFixture<ModuleHostFixture>
{
    public const string Name = "module host";
}
