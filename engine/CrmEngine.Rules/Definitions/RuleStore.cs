using CrmEngine.Engine.Storage;
using CrmEngine.Rules.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Rules.Definitions;

/// <summary>Reads rules and their versions from a tenant's store.</summary>
internal static class RuleStore
{
    public static async Task<IReadOnlyList<RuleInfo>> ListAsync(TenantDbContext context, IQueryable<RuleRow> rules, CancellationToken cancellationToken) =>
        await WithVersionsAsync(context, await rules.ToListAsync(cancellationToken), cancellationToken);

    /// <summary>Rules with their current versions, by entity, order and name.</summary>
    public static async Task<IReadOnlyList<RuleInfo>> WithVersionsAsync(TenantDbContext context, IReadOnlyList<RuleRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var versions = await context.Set<RuleVersionRow>().Where(v => ids.Contains(v.RuleId)).ToListAsync(cancellationToken);
        var current = versions.Where(v => rows.Any(r => r.Id == v.RuleId && r.CurrentVersion == v.Version)).ToDictionary(v => v.RuleId);
        return rows.Where(r => current.ContainsKey(r.Id)).Select(r => Info(r, current[r.Id])).OrderBy(r => r.Definition.Entity, StringComparer.Ordinal).ThenBy(r => r.Definition.Order).ThenBy(r => r.Definition.Name, StringComparer.Ordinal).ToList();
    }

    public static RuleInfo Info(RuleRow row, RuleVersionRow version) =>
        new(row.Id, row.CurrentVersion, row.Enabled, Utc(row.CreatedAt), Utc(row.UpdatedAt), row.DeletedAt is { } d ? Utc(d) : null, row.NextRunAt is { } n ? Utc(n) : null, Definition(version), version.Author);

    public static RuleVersionInfo VersionInfo(RuleVersionRow row) => new(row.RuleId, row.Version, Definition(row), row.Author, Utc(row.At), row.Note);

    public static RuleDefinition Definition(RuleVersionRow row) => new()
    {
        Name = row.Name,
        Entity = row.Entity,
        Triggers = RuleTriggers.Split(row.Triggers),
        Condition = row.Condition,
        Script = row.Script,
        Schedule = row.Schedule,
        TimeZone = row.TimeZone,
        Filter = row.Filter,
        Description = row.Description,
        Order = row.RunOrder,
    };

    public static RuleVersionRow VersionRow(Guid ruleId, long version, RuleDefinition definition, Guid author, DateTime at, string? note) => new()
    {
        RuleId = ruleId,
        Version = version,
        Name = definition.Name,
        Entity = definition.Entity,
        Triggers = RuleTriggers.Join(definition.Triggers),
        Condition = definition.Condition,
        Script = definition.Script,
        Schedule = definition.Schedule,
        TimeZone = definition.TimeZone,
        Filter = definition.Filter,
        Description = definition.Description,
        RunOrder = definition.Order,
        Author = author,
        At = at,
        Note = note,
    };

    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
