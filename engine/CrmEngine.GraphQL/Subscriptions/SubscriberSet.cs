using System.Collections.Concurrent;
using System.Collections.Immutable;
using CrmEngine.Engine.Records;

namespace CrmEngine.GraphQL.Subscriptions;

/// <summary>
/// This host's subscribers to one kind of event, by key (a tenant's entity, a tenant's user):
/// adding and removing swap immutable arrays, so delivering never locks nor waits on a subscriber.
/// </summary>
public sealed class SubscriberSet<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, ImmutableArray<Subscriber>> _subscribers = new();

    /// <summary>How many subscribers the keys <paramref name="which"/> selects have.</summary>
    public int Count(Func<TKey, bool> which) => _subscribers.Where(s => which(s.Key)).Sum(s => s.Value.Length);

    /// <summary>Whether any key <paramref name="which"/> selects has subscribers (checked before reading an event from the store).</summary>
    public bool Any(Func<TKey, bool> which) => _subscribers.Any(s => which(s.Key) && !s.Value.IsEmpty);

    /// <summary>The subscribers of <paramref name="key"/> at this moment.</summary>
    public ImmutableArray<Subscriber> Of(TKey key) => _subscribers.TryGetValue(key, out var subscribers) ? subscribers : [];

    /// <summary>Events for <paramref name="key"/>, delivered with <see cref="Subscriber.Deliver"/>, for the session's principal until disposed.</summary>
    public IObservable<object?> Stream(TKey key, CrmSession session) => new Observable(this, key, session);

    private void Add(Subscriber subscriber) =>
        _subscribers.AddOrUpdate(subscriber.Key, _ => [subscriber], (_, list) => list.Add(subscriber));

    private void Remove(Subscriber subscriber) =>
        _subscribers.AddOrUpdate(subscriber.Key, _ => [], (_, list) => list.Remove(subscriber));

    private sealed class Observable(SubscriberSet<TKey> set, TKey key, CrmSession session) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            var subscriber = new Subscriber(set, key, session, observer);
            set.Add(subscriber);
            return subscriber;
        }
    }

    /// <summary>One subscription: its key, the session it subscribed with, and the stream it feeds.</summary>
    public sealed class Subscriber(SubscriberSet<TKey> set, TKey key, CrmSession session, IObserver<object?> observer) : IDisposable
    {
        private int _disposed;

        public TKey Key { get; } = key;

        public CrmSession Session { get; } = session;

        public void Deliver(object? value)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                observer.OnNext(value);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                set.Remove(this);
            }
        }
    }
}
