namespace CrmEngine.Host.Tests.Support;

/// <summary>One host for the whole test assembly; each test makes its own tenant on it.</summary>
public sealed class HostFixture : IDisposable
{
    public CrmHost Host { get; } = new();

    public void Dispose() => Host.Dispose();
}

[CollectionDefinition(Name)]
public sealed class HostGroup : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}
