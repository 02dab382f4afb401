namespace CrmEngine.Engine.Coordination;

/// <summary>Keeps something cached in this host in step with <see cref="ChangeEvent"/>s, from this host or another.</summary>
public interface IChangeHandler
{
    Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken);
}

/// <summary>
/// How change events reach the other hosts: nowhere on SQLite (one host per data directory), by
/// NOTIFY on PostgreSQL. The receiving side hands what it hears to <see cref="ChangeFeed.DispatchAsync"/>.
/// </summary>
public interface IChangeTransport
{
    Task SendAsync(ChangeEvent change, string origin, CancellationToken cancellationToken);
}

/// <summary>The transport of a single host: events stay in the process.</summary>
public sealed class InProcessChangeTransport : IChangeTransport
{
    public Task SendAsync(ChangeEvent change, string origin, CancellationToken cancellationToken) => Task.CompletedTask;
}
