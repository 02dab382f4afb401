using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Records;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>
/// The webhooks' part of the after stage: for each committed change, a delivery per active webhook of
/// its entity that takes its event and whose filter the record matches, with the body fixed now. The
/// outbox hands a change over at least once; a delivery is keyed by webhook and outbox row, so a
/// change handed over twice is queued once. The record and the filter are read as they are when
/// the change is handled (usually at once; later when the after stage is behind).
/// </summary>
internal sealed class WebhookEnqueuer(TenantRegistry tenants, RecordReader reader, DeliverySignal signal, TimeProvider time) : IRecordChangeHandler
{
    public string Name => "webhooks";

    public async Task HandleAsync(RecordEvent change, CancellationToken cancellationToken)
    {
        var store = await tenants.GetAsync(change.TenantId, cancellationToken);
        var eventName = WebhookService.EventName(change.Operation);
        await using var context = store.CreateContext();
        var webhooks = (await context.Set<WebhookRow>().Where(w => w.Entity == change.Entity && w.Active).ToListAsync(cancellationToken))
            .Where(w => WebhookService.Takes(w, eventName)).ToList();
        if (webhooks.Count == 0)
        {
            return;
        }

        var ids = webhooks.Select(w => w.Id).ToList();
        var queued = await context.Set<WebhookDeliveryRow>().Where(d => d.OutboxSeq == change.Sequence && ids.Contains(d.WebhookId)).Select(d => d.WebhookId).ToListAsync(cancellationToken);
        var session = new CrmSession(store, CrmPrincipal.System(change.TenantId));
        if (session.Metadata.Find(change.Entity) is not { } entity)
        {
            return;
        }

        var record = await reader.GetAsync(session, entity.Name, change.RecordId, includeDeleted: true, cancellationToken);
        var body = WebhookPayload.Build(change, eventName, record);
        var now = time.UtcNow();
        foreach (var webhook in webhooks.Where(w => !queued.Contains(w.Id)))
        {
            var delivery = new WebhookDeliveryRow
            {
                Id = Guid.CreateVersion7(),
                WebhookId = webhook.Id,
                OutboxSeq = change.Sequence,
                Event = eventName,
                Entity = change.Entity,
                RecordId = change.RecordId,
                Body = body,
                Status = nameof(DeliveryStatus.Pending),
                NextAttemptAt = now,
                CreatedAt = now,
            };
            switch (await MatchesAsync(session, entity, webhook.Filter, change.RecordId, cancellationToken))
            {
                case false:
                    continue;
                case null:
                    // The filter no longer reads (a field it names was removed): kept, dead, so the admin sees why.
                    delivery.Status = nameof(DeliveryStatus.Dead);
                    delivery.NextAttemptAt = null;
                    delivery.LastError = "The webhook's filter no longer applies to the entity; fix the filter and redeliver.";
                    break;
            }

            context.Add(delivery);
        }

        if (context.ChangeTracker.HasChanges())
        {
            await context.SaveChangesAsync(cancellationToken);
            signal.Notify(change.TenantId);
        }
    }

    /// <summary>Whether the record matches the filter, with the list queries' own predicate; null when the filter no longer reads.</summary>
    private async Task<bool?> MatchesAsync(CrmSession session, EntityDefinition entity, string? filter, Guid recordId, CancellationToken cancellationToken)
    {
        if (filter is null)
        {
            return true;
        }

        try
        {
            var condition = RuleFilterReader.Read(entity, RuleFilterReader.Parse(filter));
            if (condition is null)
            {
                return true;
            }

            var query = new Engine.Records.Querying.RecordQuery(entity.Name)
            {
                Filter = new Condition.AllOf([condition, new Condition.Comparison(SystemFields.Id, ComparisonOperator.Eq, recordId)]),
                Deleted = DeletedRecords.Include,
                First = 1,
                Fields = [SystemFields.Id],
            };
            return (await reader.ListAsync(session, query, cancellationToken)).Edges.Count > 0;
        }
        catch (CrmException)
        {
            return null;
        }
    }
}
