using System.Collections.Concurrent;

namespace CrmEngine.Host.Http;

/// <summary>
/// How much time one key (a caller or a tenant) may spend in expensive requests: a leaky bucket of
/// time already spent, which drains at <see cref="TimeBudget.PerSecond"/> and refuses new expensive
/// requests while it holds more than <see cref="TimeBudget.Burst"/>. Capping how many run at once is
/// not enough on its own: one key sending worst-case documents back to back keeps a core busy with
/// a single slot. The budget bounds that key's share of the host's time whatever its documents cost,
/// and says when the key may try again.
/// </summary>
public sealed class ExpensiveTimeBudget(TimeBudget budget, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Whether the key has spent all its time; if so, how long until it may try again.</summary>
    public TimeSpan? Overdrawn(string key)
    {
        if (!Enabled || !_buckets.TryGetValue(key, out var bucket))
        {
            return null;
        }

        lock (bucket)
        {
            var debt = Drain(bucket);
            var excess = debt - budget.Burst.TotalSeconds;
            return excess <= 0 ? null : TimeSpan.FromSeconds(excess / budget.PerSecond.TotalSeconds);
        }
    }

    /// <summary>Adds the time an expensive request of the key held its slot.</summary>
    public void Charge(string key, TimeSpan spent)
    {
        if (!Enabled)
        {
            return;
        }

        var bucket = _buckets.GetOrAdd(key, _ => new Bucket { Stamp = time.GetTimestamp() });
        lock (bucket)
        {
            bucket.Debt = Drain(bucket) + spent.TotalSeconds;
        }
    }

    private bool Enabled => budget.PerSecond > TimeSpan.Zero;

    /// <summary>The debt left after draining since it was last looked at (caller holds the lock).</summary>
    private double Drain(Bucket bucket)
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
        bucket.Stamp = now;
        bucket.Debt = Math.Max(0, bucket.Debt - elapsed * budget.PerSecond.TotalSeconds);
        return bucket.Debt;
    }

    private sealed class Bucket
    {
        public double Debt;
        public long Stamp;
    }
}

/// <summary>Time a key may spend in expensive requests: a steady share per second and the burst it tolerates.</summary>
public sealed class TimeBudget
{
    /// <summary>Time per second of wall time (0.25 s is a quarter of one core); zero turns the budget off.</summary>
    public TimeSpan PerSecond { get; set; }

    /// <summary>Time that may be spent at once before the steady share applies.</summary>
    public TimeSpan Burst { get; set; }
}
