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
/// the change and the record once, then decides for every subscriber (once for those acting as the
/// same user with the same roles), with the subscriber's access as it is at that moment, what it is told (<see cref="RecordChangeEntries"/>): the record with its
/// hidden fields null, a tombstone, or nothing. Delivery never waits on a subscriber.
/// </summary>
public sealed class RecordChangeHub(TenantRegistry tenants, IdentityDirectory directory, ILogger<RecordChangeHub> logger) : IChangeHandler
{
    private readonly SubscriberSet<(string Tenant, string Entity)> _subscribers = new();

    /// <summary>How many subscribers this host serves in a tenant.</summary>
    public int Count(string tenantId) => _subscribers.Count(k => k.Tenant == tenantId);

    /// <summary>Changes of <paramref name="entity"/> for the session's principal, until the subscription is disposed.</summary>
    public IObservable<object?> Changes(CrmSession session, string entity) => _subscribers.Stream((session.TenantId, entity), session);

    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        if (change is not { Kind: ChangeKinds.Record, TenantId: { } tenant, Version: { } seq, Subject: { } entity }
            || _subscribers.Of((tenant, entity)) is not { IsEmpty: false } subscribers)
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
        // Rights are a matter of the user and their roles: subscribers acting as the same ones (a
        // user's tabs and devices, an integration's connections) are decided for once, and share one
        // event, so the selection runs and is written once for those that asked the same.
        foreach (var group in subscribers.GroupBy(s => (s.Session.Principal.UserId, Roles: string.Join(',', s.Session.Principal.Roles))))
        {
            try
            {
                // Access as it is now: roles, teams and field rights may have changed since subscribing.
                var principal = group.First().Session.Principal;
                var permissions = await directory.PermissionsAsync(store, principal, cancellationToken);
                var data = new RecordData(definition, record!, permissions);
                if (RecordChangeEntries.For(permissions, data, changes, shared: await Engine.Sharing.RecordReach.ReadableAsync(context, permissions, data, cancellationToken)) is { } entry)
                {
                    var shared = new SubscriptionEvent(entry, new CrmSession(store, principal, permissions));
                    foreach (var subscriber in group)
                    {
                        subscriber.Deliver(shared);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A change of {Entity} in tenant {Tenant} could not be delivered to a subscriber.", entity, tenant);
            }
        }
    }
}

/// <summary>
/// One change for the subscribers acting as one user with the same roles, with their session as of
/// delivery (the event's fields resolve with it). Those that sent the same document share its result
/// (<see cref="CrmSubscriptionStrategy"/>).
/// </summary>
public sealed record SubscriptionEvent(RecordChangeEntry Entry, CrmSession Session)
{
    /// <summary>The event's results by document (its text, operation and locale), each computed once.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<(string Document, string? Operation, string? Locale), Lazy<Task<global::GraphQL.ExecutionResult>>> Results { get; } = new();
}
