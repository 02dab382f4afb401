using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Duplicates.Scanning;

/// <summary>
/// What a duplicate job does. It reads the entity's live records once, as a stream, and gives each its
/// match key under the rule again, a batch at a time: each batch's keys replace the ones stored for
/// its records in one transaction, with the job's progress. Records written meanwhile get their keys
/// from their own writes. A scan then asks the store which keys several records share (one GROUP BY
/// over the rule's keys) and records each group as a duplicate set, replacing the rule's open sets;
/// a group identical to one dismissed before is not proposed again. Last, the rule is marked as
/// having every record's key.
/// </summary>
public sealed class ScanWork(IBulkWriter bulk, IOptions<DuplicateOptions> options, TimeProvider time)
{
    public async Task RunAsync(CrmSession session, Guid jobId, CancellationToken cancellationToken)
    {
        var (job, row) = await StartAsync(session, jobId, cancellationToken);
        var rule = DuplicateRule.From(row, options.Value.DefaultCountry);
        var entity = session.Metadata.Find(rule.Entity) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"The rule's entity '{rule.Entity}' no longer exists.");
        var batch = new List<(Guid Id, string? Key)>(options.Value.ScanBatchSize);
        long read = 0;
        await using (var reading = session.CreateContext())
        {
            var records = reading.Records(entity.Name).AsNoTracking()
                .Where(r => EF.Property<DateTime?>(r, RecordColumns.DeletedAt) == null)
                .AsAsyncEnumerable();
            await foreach (var record in records.WithCancellation(cancellationToken))
            {
                var data = new RecordData(entity, record!);
                batch.Add((data.Id, rule.KeyOf(data)));
                if (batch.Count >= options.Value.ScanBatchSize)
                {
                    read += batch.Count;
                    await WriteKeysAsync(session, job, row.Conditions, batch, read, cancellationToken);
                    batch.Clear();
                }
            }
        }

        read += batch.Count;
        await WriteKeysAsync(session, job, row.Conditions, batch, read, cancellationToken);
        await FinishAsync(session, job, rule, cancellationToken);
    }

    private async Task<(DuplicateJobRow Job, DuplicateRuleRow Rule)> StartAsync(CrmSession session, Guid jobId, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var job = await context.Set<DuplicateJobRow>().AsTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        var rule = await context.Set<DuplicateRuleRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == job.RuleId, cancellationToken)
            ?? throw new CrmException(ErrorCodes.NotFound, "The rule was deleted before its job ran.");
        job.Status = nameof(DuplicateJobStatus.Running);
        job.StartedAt = job.HeartbeatAt = time.UtcNow();
        job.RecordsTotal = await context.Records(job.Entity).CountAsync(r => EF.Property<DateTime?>(r, RecordColumns.DeletedAt) == null, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        return (job, rule);
    }

    /// <summary>One batch's keys in place of the stored ones, and the job's progress, in one transaction; refused when the rule's conditions changed meanwhile (a newer job keys them).</summary>
    private async Task WriteKeysAsync(CrmSession session, DuplicateJobRow job, string conditions, List<(Guid Id, string? Key)> batch, long read, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        await using var unit = await context.Database.BeginTransactionAsync(cancellationToken);
        var ruleId = job.RuleId;
        if (!await context.Set<DuplicateRuleRow>().AnyAsync(r => r.Id == ruleId && r.Conditions == conditions, cancellationToken))
        {
            throw new CrmException(ErrorCodes.VersionConflict, "The rule was changed or deleted while this job ran; the job its change started keys the records again.");
        }

        if (batch.Count > 0)
        {
            var ids = batch.Select(b => b.Id).ToList();
            await context.Set<DuplicateKeyRow>().Where(k => k.RuleId == ruleId && ids.Contains(k.RecordId)).ExecuteDeleteAsync(cancellationToken);
            var keys = batch.Where(b => b.Key is not null).Select(b => new DuplicateKeyRow { RuleId = ruleId, RecordId = b.Id, Key = b.Key! }).ToList();
            await bulk.InsertAsync(context, keys, cancellationToken);
        }

        var now = time.UtcNow();
        var jobId = job.Id;
        await context.Set<DuplicateJobRow>().Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.RecordsRead, read).SetProperty(j => j.HeartbeatAt, now), cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    private async Task FinishAsync(CrmSession session, DuplicateJobRow job, DuplicateRule rule, CancellationToken cancellationToken)
    {
        var sets = job.FindsSets ? await GroupsAsync(session, rule.Id, cancellationToken) : [];
        await using var context = session.CreateContext();
        await using var unit = await context.Database.BeginTransactionAsync(cancellationToken);
        var ruleId = rule.Id;
        var now = time.UtcNow();
        var found = 0;
        if (job.FindsSets)
        {
            var dismissed = (await context.Set<DuplicateSetRow>().AsNoTracking()
                    .Where(d => d.RuleId == ruleId && d.Status == nameof(DuplicateSetStatus.Dismissed))
                    .Select(d => d.RecordIds).ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            await context.Set<DuplicateSetRow>().Where(o => o.RuleId == ruleId && o.Status == nameof(DuplicateSetStatus.Open)).ExecuteDeleteAsync(cancellationToken);
            var rows = sets.Select(s => (s.Key, Ids: string.Join(',', s.Ids)))
                .Where(s => !dismissed.Contains(s.Ids))
                .Select(s => new DuplicateSetRow
                {
                    Id = Guid.CreateVersion7(now),
                    RuleId = ruleId,
                    JobId = job.Id,
                    Entity = job.Entity,
                    Key = s.Key,
                    RecordIds = s.Ids,
                    Size = s.Ids.Count(c => c == ',') + 1,
                    Status = nameof(DuplicateSetStatus.Open),
                    CreatedAt = now,
                }).ToList();
            await bulk.InsertAsync(context, rows, cancellationToken);
            found = rows.Count;
        }

        await context.Set<DuplicateRuleRow>().Where(r => r.Id == ruleId).ExecuteUpdateAsync(s => s.SetProperty(r => r.KeysReady, true), cancellationToken);
        var jobId = job.Id;
        await context.Set<DuplicateJobRow>().Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, nameof(DuplicateJobStatus.Completed))
            .SetProperty(j => j.SetsFound, found)
            .SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.HeartbeatAt, now), cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>The keys several live records share under the rule, each with its records in id order: one GROUP BY, read in key order.</summary>
    private static async Task<List<(string Key, List<Guid> Ids)>> GroupsAsync(CrmSession session, Guid ruleId, CancellationToken cancellationToken)
    {
        await using var context = session.CreateContext();
        var keys = context.Set<DuplicateKeyRow>().Where(k => k.RuleId == ruleId);
        var shared = keys.GroupBy(k => k.Key).Where(g => g.Count() > 1).Select(g => g.Key);
        var members = await keys.Where(k => shared.Contains(k.Key)).OrderBy(k => k.Key).ThenBy(k => k.RecordId)
            .Select(k => new { k.Key, k.RecordId }).ToListAsync(cancellationToken);
        var groups = new List<(string Key, List<Guid> Ids)>();
        foreach (var member in members)
        {
            if (groups.Count == 0 || groups[^1].Key != member.Key)
            {
                groups.Add((member.Key, []));
            }

            groups[^1].Ids.Add(member.RecordId);
        }

        return groups;
    }
}
