namespace CrmEngine.Engine.Coordination;

/// <summary>
/// Exclusive leases on named pieces of work (a tenant's outbox, a scheduled rule, a plugin job)
/// among every host on the same catalog. A lease is held until it is disposed or its holder dies;
/// then another host takes it and resumes the work from what was recorded as done. In process on
/// SQLite; advisory locks on PostgreSQL.
/// </summary>
public interface IWorkLeases
{
    /// <summary>The lease on <paramref name="name"/>, or null when someone else holds it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Waiting for a lease.</summary>
public static class WorkLeaseExtensions
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>The lease on <paramref name="name"/>, once its current holder lets it go.</summary>
    public static async Task<IAsyncDisposable> AcquireAsync(this IWorkLeases leases, string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await leases.TryAcquireAsync(name, cancellationToken) is { } lease)
            {
                return lease;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }
}
