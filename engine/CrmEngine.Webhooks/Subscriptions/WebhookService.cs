using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Targets;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Webhooks.Subscriptions;

/// <summary>What an admin gives to create a webhook, or the parts to change (null members are left as they are).</summary>
public sealed record WebhookInput(string? Url, string? Entity, IReadOnlyList<string>? Events, Patch<string?> Filter, bool? Active);

/// <summary>A webhook with its secret in clear: only right after it was made or rotated.</summary>
public sealed record WebhookWithSecret(WebhookRow Webhook, string Secret);

/// <summary>
/// A tenant's webhook subscriptions, for its admins: created with a new signing secret (shown once),
/// changed, deleted, re-enabled (setting <c>active</c> clears an automatic disabling), and given a
/// new secret. Every change is checked whole (target, entity, events, filter) and refused with typed
/// errors, nothing saved, when any part is wrong.
/// </summary>
public sealed class WebhookService(TargetGuard targets, WebhookSecrets secrets, TimeProvider time)
{
    public static readonly IReadOnlyList<string> EventNames = ["create", "update", "delete", "restore"];

    public async Task<IReadOnlyList<WebhookRow>> ListAsync(CrmSession session, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<WebhookRow>().OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToListAsync(cancellationToken);
    }

    public async Task<WebhookRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<WebhookRow>().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
    }

    public async Task<WebhookWithSecret> CreateAsync(CrmSession session, WebhookInput input, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        var now = time.UtcNow();
        var row = new WebhookRow
        {
            Id = Guid.CreateVersion7(),
            Url = input.Url ?? string.Empty,
            Entity = input.Entity ?? string.Empty,
            Events = string.Join(',', input.Events ?? []),
            Filter = input.Filter.Or(null),
            Active = input.Active ?? true,
            Secret = string.Empty,
            CreatedBy = session.Principal.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await CheckAsync(session, row, input, cancellationToken);
        var secret = WebhookSecrets.Generate();
        row.Secret = secrets.Protect(session.TenantId, row.Id, secret);
        await using var context = session.CreateContext();
        context.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        return new WebhookWithSecret(row, secret);
    }

    public Task<WebhookRow> UpdateAsync(CrmSession session, Guid id, WebhookInput input, CancellationToken cancellationToken) =>
        ChangeAsync(session, id, async row =>
        {
            row.Url = input.Url ?? row.Url;
            row.Entity = input.Entity ?? row.Entity;
            row.Events = input.Events is { } events ? string.Join(',', events) : row.Events;
            row.Filter = input.Filter.Or(row.Filter);
            if (input.Active is { } active)
            {
                row.Active = active;
                // Enabled again by hand: the endpoint gets a clean slate.
                row.ConsecutiveFailures = 0;
                row.DisabledReason = null;
                row.DisabledAt = active ? null : row.DisabledAt;
            }

            await CheckAsync(session, row, input, cancellationToken);
        }, cancellationToken);

    /// <summary>Gives the webhook a new signing secret; the old one stops signing at once.</summary>
    public async Task<WebhookWithSecret> RotateSecretAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        var secret = WebhookSecrets.Generate();
        var row = await ChangeAsync(session, id, row =>
        {
            row.Secret = secrets.Protect(session.TenantId, row.Id, secret);
            return Task.CompletedTask;
        }, cancellationToken);
        return new WebhookWithSecret(row, secret);
    }

    /// <summary>Deletes the webhook and its delivery log; what was not delivered yet is not sent.</summary>
    public async Task<WebhookRow> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var row = await context.Set<WebhookRow>().AsTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw NotFound(id);
        context.Remove(row);
        await context.SaveChangesAsync(cancellationToken);
        await context.Set<WebhookDeliveryRow>().Where(d => d.WebhookId == id).ExecuteDeleteAsync(cancellationToken);
        return row;
    }

    internal static void RequireAdmin(CrmSession session)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Webhooks need admin rights.");
        }
    }

    internal static CrmException NotFound(Guid id) => new(ErrorCodes.NotFound, $"There is no webhook {id}.", "id");

    private async Task<WebhookRow> ChangeAsync(CrmSession session, Guid id, Func<WebhookRow, Task> change, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var row = await context.Set<WebhookRow>().AsTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw NotFound(id);
        await change(row);
        row.UpdatedAt = time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Refuses, with every error at once, a webhook that is wrong in any part; the target is checked only when given.</summary>
    private async Task CheckAsync(CrmSession session, WebhookRow row, WebhookInput input, CancellationToken cancellationToken)
    {
        var errors = new List<CrmError>();
        if (input.Url is not null || string.IsNullOrEmpty(row.Url))
        {
            if (await targets.CheckUrlAsync(row.Url, cancellationToken) is { } refusal)
            {
                errors.Add(new CrmError(ErrorCodes.WebhookTargetRefused, refusal, "url"));
            }
        }

        var entity = session.Metadata.Find(row.Entity);
        if (entity is null)
        {
            errors.Add(new CrmError(ErrorCodes.UnknownEntity, $"There is no entity '{row.Entity}'.", "entity"));
        }

        var events = row.Events.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (events.Length == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A webhook needs at least one event.", "events"));
        }
        else if (events.Distinct(StringComparer.Ordinal).Count() != events.Length)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, "An event is given twice.", "events"));
        }

        if (entity is not null && row.Filter is { } filter)
        {
            errors.AddRange(RuleFilterReader.Check(session, entity, filter, time.UtcNow()));
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }
    }

    /// <summary>The event name of an operation, as subscriptions and payloads spell it.</summary>
    public static string EventName(RecordOperation operation) => EventNames[(int)operation];

    /// <summary>Whether the webhook takes <paramref name="eventName"/>.</summary>
    public static bool Takes(WebhookRow webhook, string eventName) =>
        webhook.Events.Split(',').Contains(eventName, StringComparer.Ordinal);
}
