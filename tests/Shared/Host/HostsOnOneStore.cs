using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// Several hosts on one store, as a deployment runs them (rolling upgrades, work claimed once, changes
/// fanned out): started and stopped by the test, all disposed with the store at the end.
/// </summary>
public sealed class HostsOnOneStore(TestStore store) : IDisposable
{
    private readonly List<CrmHost> _hosts = [];

    public TestStore Store { get; } = store;

    /// <summary>A new host on the group's store.</summary>
    public CrmHost Start(IDictionary<string, string?>? settings = null)
    {
        var host = new CrmHost(Store, settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops one host (as one taken down during an upgrade); the others go on.</summary>
    public void Stop(CrmHost host)
    {
        host.Dispose();
        _hosts.Remove(host);
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        Store.Dispose();
    }
}
