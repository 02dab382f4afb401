using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Host.Tests.Support;

/// <summary>A host of its own for a test class that counts the record-table commands a request sends.</summary>
public sealed class CountingHostFixture : IDisposable
{
    public CountingHostFixture() => Host = new CrmHost { ConfigureTestServices = s => s.AddSingleton<IInterceptor>(Commands) };

    public CommandCounter Commands { get; } = new();

    public CrmHost Host { get; }

    public void Dispose() => Host.Dispose();
}
