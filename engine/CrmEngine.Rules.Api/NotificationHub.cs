using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Subscriptions;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Rules.Api;

/// <summary>
/// This host's subscribers to their own notifications (<c>notificationReceived</c>), by tenant and
/// user. A <see cref="ChangeKinds.Notification"/> event names a committed notification; it is read
/// from the store (so one whose write was undone is never delivered) and handed to its recipient's
/// subscriptions only.
/// </summary>
public sealed class NotificationHub(TenantRegistry tenants) : IChangeHandler
{
    private readonly SubscriberSet<(string Tenant, Guid User)> _subscribers = new();

    /// <summary>How many subscribers this host serves in a tenant.</summary>
    public int Count(string tenantId) => _subscribers.Count(k => k.Tenant == tenantId);

    /// <summary>The notifications sent to the session's user, until the subscription is disposed.</summary>
    public IObservable<object?> For(CrmSession session) => _subscribers.Stream((session.TenantId, session.Principal.UserId), session);

    public async Task HandleAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        if (change is not { Kind: ChangeKinds.Notification, TenantId: { } tenant, Subject: { } subject }
            || !Guid.TryParse(subject, out var id)
            || !_subscribers.Any(k => k.Tenant == tenant))
        {
            return;
        }

        var store = await tenants.GetAsync(tenant, cancellationToken);
        await using var context = store.CreateContext();
        if (await context.Set<NotificationRow>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken) is not { } notification)
        {
            return;
        }

        foreach (var subscriber in _subscribers.Of((tenant, notification.UserId)))
        {
            subscriber.Deliver(notification);
        }
    }
}
