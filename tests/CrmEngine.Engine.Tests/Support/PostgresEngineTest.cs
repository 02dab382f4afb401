using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Engine.Tests.Support;

/// <summary>
/// Base of the PostgreSQL-only engine tests: an engine on a PostgreSQL database of its own (made
/// only when a test runs, so outside CI a skipped test needs no server) that logs EF's commands.
/// </summary>
public abstract class PostgresEngineTest : IAsyncLifetime
{
    protected CommandLog Commands { get; } = new();

    protected EngineHarness Engine { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Engine = new EngineHarness(s => s.AddSingleton<IInterceptor>(Commands), TestStore.CreatePostgres());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Engine.Store.DisposeAsync();
    }
}
