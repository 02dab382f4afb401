using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CrmEngine.Import.Jobs;

/// <summary>
/// Runs this host's import jobs in the background, <see cref="ImportOptions.MaxConcurrentJobs"/> at
/// a time. A job is claimed by the host its file was uploaded to (<see cref="HostId"/>, on the job's
/// row), since the file waits on that host's disk; stopping the host cancels its jobs.
/// </summary>
public sealed class ImportRunner(IOptions<ImportOptions> options) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentJobs));
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;
    private readonly ConcurrentDictionary<Guid, Task> _held = new();

    /// <summary>This process, as job rows name the host that claimed them.</summary>
    public string HostId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>True while this host has the job queued or running.</summary>
    public bool Holds(Guid job) => _held.ContainsKey(job);

    /// <summary>Queues a job; <paramref name="work"/> handles its own failures.</summary>
    public void Enqueue(Guid job, Func<CancellationToken, Task> work)
    {
        _held[job] = Task.Run(async () =>
        {
            try
            {
                await _slots.WaitAsync(_stopping.Token);
                try
                {
                    await work(_stopping.Token);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The host is stopping: the job's row says where it got to.
            }
            finally
            {
                _held.TryRemove(job, out _);
            }
        });
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host torn down in a hurry may dispose its services before it stops them: nothing is left to stop.
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_held.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _stopping.Dispose();
        _slots.Dispose();
    }
}
