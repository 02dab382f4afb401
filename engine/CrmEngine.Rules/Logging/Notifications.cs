using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Rules.Logging;

/// <summary>
/// Messages rules and plugins send to users (crm.notify, INotifier). Written in the run's transaction,
/// so a notification from a write that fails, or from a dry run, is never sent. The recipient must be
/// a user of the tenant (<see cref="UserReferences.CheckRecipientAsync"/>). Once committed, each is
/// announced as a <see cref="ChangeKinds.Notification"/> event, which every host delivers to the
/// recipient's subscriptions.
/// </summary>
public sealed class Notifications(UserReferences users, ChangeFeed changes, TimeProvider time, ILogger<Notifications> logger)
{
    public async Task AddAsync(CrmSession session, Guid userId, string message, string? rule, string? entity, Guid? recordId, CancellationToken cancellationToken)
    {
        if (await users.CheckRecipientAsync(session, userId, cancellationToken) is { } unknown)
        {
            throw new CrmException(unknown);
        }

        var row = new NotificationRow { Id = Guid.CreateVersion7(), UserId = userId, Message = message, RuleName = rule, Entity = entity, RecordId = recordId, At = time.UtcNow() };
        if (WriteScope.For(session) is { } scope)
        {
            // Saved now, not with the write: a nested write that fails later rolls back to its own
            // savepoint and drops unsaved entries, which would take this one along.
            scope.Context.Set<NotificationRow>().Add(row);
            await scope.Context.SaveChangesAsync(cancellationToken);
            // Announced once the write commits; a write that fails or is a dry run never does. A part
            // of the write undone on its own (a nested write refused) takes the row along, and hosts
            // that read the announced id then find nothing to deliver.
            var tenant = session.TenantId;
            scope.AfterCommit(() => Announce(tenant, row.Id));
            return;
        }

        await using (var context = session.CreateContext())
        {
            // In the store's turn of writes (SQLite's write gate), beside the record pipeline's.
            context.Set<NotificationRow>().Add(row);
            await session.Store.SaveAsync(context, cancellationToken);
        }

        Announce(session.TenantId, row.Id);
    }

    /// <summary>
    /// Tells every host about a committed notification, in the background: the writer does not wait
    /// for the deliveries, and they run outside its flow (its write scope is ending).
    /// </summary>
    private void Announce(string tenant, Guid id)
    {
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await changes.PublishAsync(new ChangeEvent(ChangeKinds.Notification, tenant, Subject: id.ToString()), CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Notification {Id} of tenant {Tenant} was saved but could not be announced to subscribers.", id, tenant);
                }
            });
        }
    }

    /// <summary>A user's notifications, newest first.</summary>
    public async Task<IReadOnlyList<NotificationRow>> ForUserAsync(CrmSession session, Guid userId, bool unreadOnly, int first, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var query = context.Set<NotificationRow>().Where(n => n.UserId == userId);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        return await query.OrderByDescending(n => n.At).ThenByDescending(n => n.Id).Take(Math.Clamp(first, 1, 500)).ToListAsync(cancellationToken);
    }

    /// <summary>Marks some of a user's notifications read; returns how many changed.</summary>
    public async Task<int> MarkReadAsync(CrmSession session, Guid userId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var now = time.UtcNow();
        return await context.Set<NotificationRow>()
            .Where(n => n.UserId == userId && ids.Contains(n.Id) && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }
}
