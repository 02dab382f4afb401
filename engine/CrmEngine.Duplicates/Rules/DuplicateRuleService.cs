using CrmEngine.Duplicates.Matching;
using CrmEngine.Duplicates.Scanning;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Duplicates.Rules;

/// <summary>What an admin gives to create a rule, or the parts to change (null members stay as they are).</summary>
public sealed record DuplicateRuleInput(string? Name, string? Entity, bool? Active, RuleAction? OnCreate, RuleAction? OnUpdate, IReadOnlyList<RuleCondition>? Conditions);

/// <summary>
/// A tenant's duplicate rules, for its admins. Every change is checked whole (name, entity, each
/// condition's field and matcher) and refused with typed errors, nothing saved, when any part is
/// wrong. A new rule, or one whose conditions change, starts a job that gives every record its key
/// (<see cref="DuplicateRuleRow.KeysReady"/> until it ends); other hosts hear of changes by a
/// change event.
/// </summary>
public sealed class DuplicateRuleService(DuplicateRuleCache cache, DuplicateJobs jobs, ChangeFeed changes, TimeProvider time)
{
    public const int MaxConditions = 5;

    public async Task<IReadOnlyList<DuplicateRuleRow>> ListAsync(CrmSession session, string? entity, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<DuplicateRuleRow>().AsNoTracking().Where(r => entity == null || r.Entity == entity)
            .OrderBy(r => r.Entity).ThenBy(r => r.Name).ToListAsync(cancellationToken);
    }

    public async Task<DuplicateRuleRow?> GetAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<DuplicateRuleRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    public async Task<DuplicateRuleRow> CreateAsync(CrmSession session, DuplicateRuleInput input, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        var now = time.UtcNow();
        var row = new DuplicateRuleRow
        {
            Id = Guid.CreateVersion7(now),
            Name = input.Name?.Trim() ?? string.Empty,
            Entity = input.Entity ?? string.Empty,
            Active = input.Active ?? true,
            OnCreate = (input.OnCreate ?? RuleAction.Warn).ToString(),
            OnUpdate = (input.OnUpdate ?? RuleAction.Warn).ToString(),
            Conditions = DuplicateRule.WriteConditions(input.Conditions ?? []),
            CreatedBy = session.Principal.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var context = session.CreateContext();
        await CheckAsync(session, context, row, input.Conditions ?? [], cancellationToken);
        context.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        await ChangedAsync(session, cancellationToken);
        await jobs.StartAsync(session, row, findsSets: false, cancellationToken);
        return row;
    }

    public async Task<DuplicateRuleRow> UpdateAsync(CrmSession session, Guid id, DuplicateRuleInput input, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var row = await context.Set<DuplicateRuleRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw NotFound(id);
        var conditions = input.Conditions ?? DuplicateRule.ReadConditions(row.Conditions);
        var rekey = (input.Conditions is not null && DuplicateRule.WriteConditions(conditions) != row.Conditions) || (input.Entity is not null && input.Entity != row.Entity);
        row.Name = input.Name?.Trim() ?? row.Name;
        row.Entity = input.Entity ?? row.Entity;
        row.Active = input.Active ?? row.Active;
        row.OnCreate = input.OnCreate?.ToString() ?? row.OnCreate;
        row.OnUpdate = input.OnUpdate?.ToString() ?? row.OnUpdate;
        row.Conditions = DuplicateRule.WriteConditions(conditions);
        row.UpdatedAt = time.UtcNow();
        await CheckAsync(session, context, row, conditions, cancellationToken);
        if (rekey)
        {
            row.KeysReady = false;
            await context.Set<DuplicateKeyRow>().Where(k => k.RuleId == id).ExecuteDeleteAsync(cancellationToken);
            await context.Set<DuplicateSetRow>().Where(s => s.RuleId == id).ExecuteDeleteAsync(cancellationToken);
        }

        await context.SaveChangesAsync(cancellationToken);
        await ChangedAsync(session, cancellationToken);
        if (rekey)
        {
            await jobs.StartAsync(session, row, findsSets: false, cancellationToken);
        }

        return row;
    }

    /// <summary>Deletes the rule with its keys and duplicate sets.</summary>
    public async Task<DuplicateRuleRow> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var row = await context.Set<DuplicateRuleRow>().AsTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw NotFound(id);
        context.Remove(row);
        await context.SaveChangesAsync(cancellationToken);
        await context.Set<DuplicateKeyRow>().Where(k => k.RuleId == id).ExecuteDeleteAsync(cancellationToken);
        await context.Set<DuplicateSetRow>().Where(s => s.RuleId == id).ExecuteDeleteAsync(cancellationToken);
        await ChangedAsync(session, cancellationToken);
        return row;
    }

    /// <summary>Starts a scan of the rule's entity for duplicate sets.</summary>
    public async Task<DuplicateJobRow> ScanAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        var row = await GetAsync(session, id, cancellationToken) ?? throw NotFound(id, "ruleId");
        return await jobs.StartAsync(session, row, findsSets: true, cancellationToken);
    }

    internal static void RequireAdmin(CrmSession session)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Duplicate rules and scans need admin rights.");
        }
    }

    private static CrmException NotFound(Guid id, string field = "id") => new(ErrorCodes.NotFound, $"There is no duplicate rule {id}.", field);

    private async Task ChangedAsync(CrmSession session, CancellationToken cancellationToken)
    {
        cache.Invalidate(session.TenantId);
        await changes.PublishAsync(new ChangeEvent(DuplicateRuleChangeHandler.Kind, session.TenantId), cancellationToken);
    }

    /// <summary>Refuses, with every error at once, a rule wrong in any part.</summary>
    private async Task CheckAsync(CrmSession session, DbContext context, DuplicateRuleRow row, IReadOnlyList<RuleCondition> conditions, CancellationToken cancellationToken)
    {
        var errors = new List<CrmError>();
        if (row.Name.Length == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A duplicate rule needs a name.", "name"));
        }
        else if (row.Name.Length > 100)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, "A rule's name is at most 100 characters.", "name"));
        }
        else if (await context.Set<DuplicateRuleRow>().AnyAsync(r => r.Name == row.Name && r.Id != row.Id, cancellationToken))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, $"There is a duplicate rule named '{row.Name}' already.", "name"));
        }

        var entity = session.Metadata.Find(row.Entity);
        if (entity is null)
        {
            errors.Add(new CrmError(ErrorCodes.UnknownEntity, $"There is no entity '{row.Entity}'.", "entity"));
        }

        if (conditions.Count is 0 or > MaxConditions)
        {
            errors.Add(new CrmError(conditions.Count == 0 ? ErrorCodes.Required : ErrorCodes.InvalidInput, $"A duplicate rule has 1 to {MaxConditions} conditions.", "conditions"));
        }

        for (var i = 0; i < conditions.Count && entity is not null; i++)
        {
            var condition = conditions[i];
            var path = $"conditions[{i}]";
            if (entity.FindField(condition.Field) is not { } field)
            {
                errors.Add(new CrmError(ErrorCodes.UnknownField, $"{entity.Name} has no field '{condition.Field}'.", path + ".field"));
            }
            else if (!MatcherFields.Fits(condition.Matcher, field.Type))
            {
                errors.Add(new CrmError(ErrorCodes.FieldNotMatchable, $"The {condition.Matcher} matcher can't compare '{field.Name}', a {field.Type} field.", path + ".matcher"));
            }

            if (condition.Country is { } country && (condition.Matcher != Matcher.Phone || !PhoneNumbers.CallingCodes.ContainsKey(country)))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidInput, condition.Matcher != Matcher.Phone
                    ? "Only PHONE conditions take a country."
                    : $"'{country}' is not a country phone numbers can be read in ({string.Join(", ", PhoneNumbers.CallingCodes.Keys.Order(StringComparer.Ordinal))}).", path + ".country"));
            }
        }

        if (conditions.Select(c => c.Field).Distinct(StringComparer.Ordinal).Count() != conditions.Count)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, "A field is compared twice.", "conditions"));
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }
    }
}
