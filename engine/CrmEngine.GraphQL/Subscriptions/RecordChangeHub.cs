using System.Collections.Concurrent;
using System.Collections.Immutable;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Changes;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmEngine.GraphQL.Subscriptions;

/// <summary>
/// This host's subscribers to record changes, by tenant and entity. For each change event it reads
/// the change and the record once, then decides for every subscriber, with the subscriber's access
/// as it is at that moment, what it is told (<see cref="RecordChangeEntries"/>): the record with its
/// hidden fields null, a tombstone, or nothing. Delivery never waits on a subscriber.
/// </summary>
public sealed class RecordChangeHub(TenantRegistry tenants, IdentityDirectory directory, ILogger<RecordChangeHub> logger) : IChangeHandler
{
    private readonly ConcurrentDictionary<(string Tenant, string Entity), ImmutableArray<Subscriber>> _subscribers = new();

    /// <summary>How many subscribers this host serves in a tenant.</summary>
    public int Count(string tenantId) => _subscribers.Where(s => s.Key.Tenant == tenantId).Sum(s => s.Value.Length);

    /// <summary>Changes of <paramref name="entity"/> for the session's principal, until the subscription is disposed.</summary>
    public IObservable<object?> Changes(CrmSession session, string entity) => new Stream(this, session, entity);

    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        if (change is not { Kind: ChangeKinds.Record, TenantId: { } tenant, Version: { } seq, Subject: { } entity }
            || !_subscribers.TryGetValue((tenant, entity), out var subscribers) || subscribers.IsEmpty)
        {
            return;
        }

        var store = await tenants.GetAsync(tenant, cancellationToken);
        if (store.Metadata.Find(entity) is not { } definition)
        {
            return;
        }

        await using var context = store.CreateContext();
        var row = await context.Set<OutboxRow>().AsNoTracking().Where(r => r.Seq == seq).Select(r => new { r.RecordId, r.At, r.Changes }).FirstOrDefaultAsync(cancellationToken);
        var record = row is null ? null : await context.Records(entity).Where(PredicateBuilder.IdIn([row.RecordId])).FirstOrDefaultAsync(cancellationToken);
        if (row is null || record is null)
        {
            return;
        }

        var changes = new[] { (DateTime.SpecifyKind(row.At, DateTimeKind.Utc), row.Changes) };
        foreach (var subscriber in subscribers)
        {
            try
            {
                // Access as it is now: roles, teams and field rights may have changed since subscribing.
                var permissions = await directory.PermissionsAsync(store, subscriber.Session.Principal, cancellationToken);
                if (RecordChangeEntries.For(permissions, new RecordData(definition, record!, permissions), changes) is { } entry)
                {
                    subscriber.Deliver(new SubscriptionEvent(entry, new CrmSession(store, subscriber.Session.Principal, permissions)));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A change of {Entity} in tenant {Tenant} could not be delivered to a subscriber.", entity, tenant);
            }
        }
    }

    private void Add(Subscriber subscriber) =>
        _subscribers.AddOrUpdate((subscriber.Session.TenantId, subscriber.Entity), _ => [subscriber], (_, list) => list.Add(subscriber));

    private void Remove(Subscriber subscriber) =>
        _subscribers.AddOrUpdate((subscriber.Session.TenantId, subscriber.Entity), _ => [], (_, list) => list.Remove(subscriber));

    private sealed class Stream(RecordChangeHub hub, CrmSession session, string entity) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            var subscriber = new Subscriber(hub, session, entity, observer);
            hub.Add(subscriber);
            return subscriber;
        }
    }

    private sealed class Subscriber(RecordChangeHub hub, CrmSession session, string entity, IObserver<object?> observer) : IDisposable
    {
        private int _disposed;

        public CrmSession Session { get; } = session;

        public string Entity { get; } = entity;

        public void Deliver(SubscriptionEvent change)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                observer.OnNext(change);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Remove(this);
            }
        }
    }
}

/// <summary>One change for one subscriber, with the subscriber's session as of delivery (the event's fields resolve with it).</summary>
public sealed record SubscriptionEvent(RecordChangeEntry Entry, CrmSession Session);
