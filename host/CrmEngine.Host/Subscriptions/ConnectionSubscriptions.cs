namespace CrmEngine.Host.Subscriptions;

/// <summary>
/// The subscriptions running on one connection, by operation id, each counted against the
/// connection's limit and its caller's on this host (<see cref="OpenConnections"/>) from the moment
/// it is reserved until it is stopped or ends, exactly once.
/// </summary>
internal sealed class ConnectionSubscriptions(OpenConnections connections, int maxPerConnection)
{
    private readonly Dictionary<string, IDisposable?> _running = new(StringComparer.Ordinal);
    private string? _caller;

    public enum Reservation
    {
        Reserved,
        IdInUse,
        ConnectionFull,
        CallerFull,
    }

    /// <summary>Holds a place for subscription <paramref name="id"/> of <paramref name="caller"/>, or says why there is none.</summary>
    public Reservation Reserve(string id, string caller)
    {
        lock (_running)
        {
            if (_running.ContainsKey(id))
            {
                return Reservation.IdInUse;
            }

            if (_running.Count >= maxPerConnection)
            {
                return Reservation.ConnectionFull;
            }

            if (!connections.TryReserve(caller))
            {
                return Reservation.CallerFull;
            }

            _caller = caller;
            _running[id] = null;
            return Reservation.Reserved;
        }
    }

    /// <summary>Attaches a started subscription to its place; when the client completed it meanwhile, it is disposed at once.</summary>
    public void Attach(string id, IDisposable subscription)
    {
        lock (_running)
        {
            if (_running.ContainsKey(id))
            {
                _running[id] = subscription;
                return;
            }
        }

        subscription.Dispose();
    }

    /// <summary>Stops subscription <paramref name="id"/> (the client completed it) and gives its place back.</summary>
    public void Stop(string id) => Remove(id)?.Dispose();

    /// <summary>Gives back the place of a subscription that ended on its own, or never started.</summary>
    public void Forget(string id) => Remove(id);

    public void StopAll()
    {
        List<IDisposable?> stopped;
        lock (_running)
        {
            stopped = [.. _running.Values];
            foreach (var _ in _running.Keys)
            {
                connections.Release(_caller!);
            }

            _running.Clear();
        }

        foreach (var subscription in stopped)
        {
            subscription?.Dispose();
        }
    }

    private IDisposable? Remove(string id)
    {
        lock (_running)
        {
            if (!_running.Remove(id, out var subscription))
            {
                return null;
            }

            connections.Release(_caller!);
            return subscription;
        }
    }
}
