using System.Collections.Concurrent;

namespace CrmEngine.Engine.Coordination;

/// <summary>
/// Leases within one process, for SQLite: its stores are files on one machine, served by one host
/// (a second process on the same files has its own leases, as it has its own write gate).
/// </summary>
public sealed class InProcessWorkLeases : IWorkLeases
{
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    public Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(_held.TryAdd(name, 0) ? new Lease(this, name) : null);

    private sealed class Lease(InProcessWorkLeases owner, string name) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._held.TryRemove(name, out _);
            }

            return ValueTask.CompletedTask;
        }
    }
}
