using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Storage;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Rules.Definitions;

/// <summary>The outcome of a change to a rule: the rule as it now is, or why nothing changed.</summary>
public sealed record RuleChangeResult(RuleInfo? Rule, IReadOnlyList<CrmError> Errors, ScriptSyntaxError? Syntax = null)
{
    public static RuleChangeResult Fail(params CrmError[] errors) => new(null, errors);
}

/// <summary>
/// Rules as tenant data: saving makes a new version (earlier ones stay, for rollback), enabling,
/// disabling, deleting and restoring a version. Only admins may change or read rules. Every change
/// is published as a change event, so this host and the others reload the tenant's rule set.
/// </summary>
public sealed class RuleService
{
    private readonly RuleCompiler _compiler;
    private readonly ChangeFeed _changes;
    private readonly TimeProvider _time;

    internal RuleService(RuleCompiler compiler, ChangeFeed changes, TimeProvider time)
    {
        _time = time;
        _compiler = compiler;
        _changes = changes;
    }

    public async Task<RuleChangeResult> SaveAsync(CrmSession session, Guid? id, RuleDefinition input, bool? enabled, CancellationToken cancellationToken)
    {
        if (Forbidden(session) is { } forbidden)
        {
            return forbidden;
        }

        var definition = Tidy(input);
        var (errors, syntax) = RuleValidator.Validate(definition, session, _compiler, _time.UtcNow());
        if (errors.Count > 0)
        {
            return new RuleChangeResult(null, errors, syntax);
        }

        await using var context = session.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var rules = context.Set<RuleRow>().AsTracking();
        var named = await rules.FirstOrDefaultAsync(r => r.Name == definition.Name && r.DeletedAt == null, cancellationToken);
        RuleRow? row;
        if (id is { } wanted)
        {
            row = await rules.FirstOrDefaultAsync(r => r.Id == wanted && r.DeletedAt == null, cancellationToken);
            if (row is null)
            {
                return RuleChangeResult.Fail(NotFound(wanted));
            }

            if (named is not null && named.Id != row.Id)
            {
                return RuleChangeResult.Fail(new CrmError(ErrorCodes.NameTaken, $"Another rule is already named '{definition.Name}'.", "name"));
            }
        }
        else
        {
            row = named;
        }

        var now = _time.UtcNow();
        if (row is null)
        {
            row = new RuleRow { Id = Guid.CreateVersion7(), Name = definition.Name, CurrentVersion = 0, Enabled = enabled ?? true, CreatedAt = now };
            context.Set<RuleRow>().Add(row);
        }
        else if (await CurrentAsync(context, row, cancellationToken) is { } current && RuleStore.Definition(current).SameAs(definition) && (enabled is null || enabled == row.Enabled))
        {
            // Saving what is already there changes nothing (deployments may save every rule every time).
            return new RuleChangeResult(RuleStore.Info(row, current), []);
        }

        row.Name = definition.Name;
        row.CurrentVersion++;
        row.Enabled = enabled ?? row.Enabled;
        row.UpdatedAt = now;
        row.NextRunAt = row.Enabled ? RuleSchedule.Next(definition, now) : null;
        var version = RuleStore.VersionRow(row.Id, row.CurrentVersion, definition, session.Principal.UserId, now, null);
        context.Set<RuleVersionRow>().Add(version);
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await _changes.PublishAsync(new ChangeEvent(ChangeKinds.Rules, session.TenantId), cancellationToken);
        return new RuleChangeResult(RuleStore.Info(row, version), []);
    }

    public Task<RuleChangeResult> EnableAsync(CrmSession session, Guid id, CancellationToken cancellationToken) => SetEnabledAsync(session, id, true, cancellationToken);

    public Task<RuleChangeResult> DisableAsync(CrmSession session, Guid id, CancellationToken cancellationToken) => SetEnabledAsync(session, id, false, cancellationToken);

    /// <summary>Deletes a rule: it stops running and its name is free; its versions and run log stay.</summary>
    public Task<RuleChangeResult> DeleteAsync(CrmSession session, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(session, id, (row, _, now) =>
        {
            row.DeletedAt = now;
            row.Enabled = false;
            row.NextRunAt = null;
            return null;
        }, cancellationToken);

    /// <summary>Makes an earlier version current again, as a new version (so the history only grows).</summary>
    public async Task<RuleChangeResult> RestoreVersionAsync(CrmSession session, Guid id, long version, CancellationToken cancellationToken)
    {
        if (Forbidden(session) is { } forbidden)
        {
            return forbidden;
        }

        await using var context = session.CreateContext();
        var old = await context.Set<RuleVersionRow>().FirstOrDefaultAsync(v => v.RuleId == id && v.Version == version, cancellationToken);
        if (old is null)
        {
            return RuleChangeResult.Fail(new CrmError(ErrorCodes.NotFound, $"Rule {id} has no version {version}.", "version"));
        }

        var definition = RuleStore.Definition(old);
        var (errors, syntax) = RuleValidator.Validate(definition, session, _compiler, _time.UtcNow());
        if (errors.Count > 0)
        {
            return new RuleChangeResult(null, errors, syntax);
        }

        return await ChangeAsync(session, id, (row, ctx, now) =>
        {
            row.CurrentVersion++;
            row.Name = definition.Name;
            row.NextRunAt = row.Enabled ? RuleSchedule.Next(definition, now) : null;
            var restored = RuleStore.VersionRow(id, row.CurrentVersion, definition, session.Principal.UserId, now, $"Restored from version {version}.");
            ctx.Set<RuleVersionRow>().Add(restored);
            return restored;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<RuleInfo>> ListAsync(CrmSession session, string? entity, bool includeDeleted, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var rules = context.Set<RuleRow>().AsQueryable();
        if (!includeDeleted)
        {
            rules = rules.Where(r => r.DeletedAt == null);
        }

        var all = await RuleStore.ListAsync(context, rules, cancellationToken);
        return entity is null ? all : all.Where(r => r.Definition.Entity == entity).ToList();
    }

    public async Task<RuleInfo?> GetAsync(CrmSession session, Guid? id, string? name, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var rules = id is { } wanted
            ? context.Set<RuleRow>().Where(r => r.Id == wanted)
            : context.Set<RuleRow>().Where(r => r.Name == name && r.DeletedAt == null);
        var found = await RuleStore.ListAsync(context, rules, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<RuleVersionInfo>> VersionsAsync(CrmSession session, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        var rows = await context.Set<RuleVersionRow>().Where(v => v.RuleId == id).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        return rows.Select(RuleStore.VersionInfo).ToList();
    }

    internal static void RequireAdmin(CrmSession session)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Rules need admin rights.");
        }
    }

    private static RuleChangeResult? Forbidden(CrmSession session) =>
        session.Permissions.IsAdmin ? null : RuleChangeResult.Fail(new CrmError(ErrorCodes.Forbidden, "Changing rules needs admin rights."));

    private Task<RuleChangeResult> SetEnabledAsync(CrmSession session, Guid id, bool enabled, CancellationToken cancellationToken) =>
        ChangeAsync(session, id, (row, ctx, now) =>
        {
            if (row.Enabled != enabled)
            {
                row.Enabled = enabled;
                row.UpdatedAt = now;
            }

            return null;
        }, cancellationToken, recomputeSchedule: true);

    private async Task<RuleChangeResult> ChangeAsync(CrmSession session, Guid id, Func<RuleRow, TenantDbContext, DateTime, RuleVersionRow?> change, CancellationToken cancellationToken, bool recomputeSchedule = false)
    {
        if (Forbidden(session) is { } forbidden)
        {
            return forbidden;
        }

        await using var context = session.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var row = await context.Set<RuleRow>().AsTracking().FirstOrDefaultAsync(r => r.Id == id && r.DeletedAt == null, cancellationToken);
        if (row is null)
        {
            return RuleChangeResult.Fail(NotFound(id));
        }

        var now = _time.UtcNow();
        var added = change(row, context, now);
        var current = added ?? await CurrentAsync(context, row, cancellationToken);
        if (recomputeSchedule)
        {
            row.NextRunAt = row.Enabled && current is not null ? RuleSchedule.Next(RuleStore.Definition(current), now) : null;
        }

        row.UpdatedAt = now;
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await _changes.PublishAsync(new ChangeEvent(ChangeKinds.Rules, session.TenantId), cancellationToken);
        return new RuleChangeResult(current is null ? null : RuleStore.Info(row, current), []);
    }

    private static Task<RuleVersionRow?> CurrentAsync(TenantDbContext context, RuleRow row, CancellationToken cancellationToken) =>
        context.Set<RuleVersionRow>().FirstOrDefaultAsync(v => v.RuleId == row.Id && v.Version == row.CurrentVersion, cancellationToken);

    private static CrmError NotFound(Guid id) => new(ErrorCodes.NotFound, $"There is no rule with id {id}.", "id");

    private static RuleDefinition Tidy(RuleDefinition rule) => rule with
    {
        Name = rule.Name.Trim(),
        Entity = rule.Entity.Trim(),
        Condition = Blank(rule.Condition),
        Schedule = Blank(rule.Schedule)?.Trim(),
        TimeZone = Blank(rule.TimeZone)?.Trim(),
        Filter = Blank(rule.Filter),
        Description = Blank(rule.Description),
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
