using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Changes;

/// <summary>
/// An entity's changes feed, for offline clients and sync jobs (docs/changes-and-subscriptions.md).
/// Without a cursor it first lists the records the caller reads now (the snapshot), then follows the
/// journal of changes the outbox keeps, from the point the snapshot began. Each page of the journal
/// holds every changed record once, as it is now: an upsert if the caller reads it, a deletion
/// tombstone if it was deleted, a left-scope tombstone if a reassignment took it out of the caller's
/// reach; records the caller never read are left out.
/// </summary>
/// <remarks>
/// The journal is read in (transaction id, sequence) order, and only below the oldest transaction
/// still open (<see cref="IStorageProvider.OldestOpenTransactionAsync"/>): a change committed later
/// always lands after every cursor already handed out, so resuming never skips one. On SQLite the
/// transaction id is 0 and the sequence is commit order itself (one writer at a time).
/// </remarks>
public sealed class RecordChanges(CursorCodec cursors, RecordReader reader, IOptions<CrmEngineOptions> options, TimeProvider time)
{
    public async Task<RecordChangesPage> ReadAsync(CrmSession session, string entityName, string? since, int? first, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(entityName);
        if (!ReadAccess.CanReadAny(session.Permissions, entity.Name))
        {
            throw ReadAccess.Refused(entity.Name);
        }

        var size = PageSize(first);
        var rights = ChangesCursor.Fingerprint(session.Permissions, entity);
        var now = time.UtcNow();
        var cursor = since is null ? null : Resume(session, entity, since, rights, now);
        await using var context = session.CreateContext();
        var horizon = await session.Store.Provider.OldestOpenTransactionAsync(context, cancellationToken) ?? long.MaxValue;
        if (cursor is null or { Snapshot: true })
        {
            cursor ??= await StartAsync(context, entity, horizon, rights, now, cancellationToken);
            return await SnapshotPageAsync(session, context, entity, cursor, size, horizon, cancellationToken);
        }

        return await JournalPageAsync(session, context, entity, cursor with { Since = now }, size, horizon, cancellationToken);
    }

    private int PageSize(int? first)
    {
        var size = first ?? options.Value.DefaultPageSize;
        if (size < 0)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "first can't be negative.", "first");
        }

        return size <= options.Value.MaxPageSize ? size
            : throw new CrmException(ErrorCodes.PageSizeExceeded, $"A page holds at most {options.Value.MaxPageSize} changes; ask for fewer and resume with the cursor.", "first");
    }

    private ChangesCursor Resume(CrmSession session, EntityDefinition entity, string since, string rights, DateTime now)
    {
        var cursor = ChangesCursor.Decode(cursors, since, session.TenantId, entity.Name);
        if (cursor.Since < now - options.Value.ChangeRetention)
        {
            throw new CrmException(ErrorCodes.CursorExpired,
                $"The cursor is older than the {options.Value.ChangeRetention.TotalDays:0.#} days changes are kept: sync again from the start (since: null).", "since");
        }

        return cursor.Rights == rights ? cursor
            : throw new CrmException(ErrorCodes.CursorExpired, $"Your access to {entity.PluralName} changed since this cursor was issued: sync again from the start (since: null).", "since");
    }

    /// <summary>A first sync: the journal resumes after its last change settled now, whose effects the snapshot reads.</summary>
    private static async Task<ChangesCursor> StartAsync(TenantDbContext context, EntityDefinition entity, long horizon, string rights, DateTime now, CancellationToken cancellationToken)
    {
        var head = await Journal(context, entity, horizon)
            .OrderByDescending(r => r.Xid).ThenByDescending(r => r.Seq)
            .Select(r => new { r.Xid, r.Seq })
            .FirstOrDefaultAsync(cancellationToken);
        return new ChangesCursor(Snapshot: true, head?.Xid ?? 0, head?.Seq ?? 0, now, rights, After: null);
    }

    private async Task<RecordChangesPage> SnapshotPageAsync(CrmSession session, TenantDbContext context, EntityDefinition entity, ChangesCursor cursor, int size, long horizon, CancellationToken cancellationToken)
    {
        var page = await reader.ListAsync(session, new RecordQuery(entity.Name) { First = size, After = cursor.After }, cancellationToken);
        var items = page.Edges.Select(e => new RecordChangeEntry(RecordChangeKind.Upsert, e.Record.Id, e.Record.UpdatedAt, e.Record)).ToList();
        if (page.HasNextPage)
        {
            return new RecordChangesPage(items, Encode(session, entity, cursor with { After = page.EndCursor }), HasMore: true);
        }

        // The snapshot is done: from here on, the journal after the position the snapshot began at.
        var next = cursor with { Snapshot = false, After = null };
        var more = await After(Journal(context, entity, horizon), next).AnyAsync(cancellationToken);
        return new RecordChangesPage(items, Encode(session, entity, next), more);
    }

    private async Task<RecordChangesPage> JournalPageAsync(CrmSession session, TenantDbContext context, EntityDefinition entity, ChangesCursor cursor, int size, long horizon, CancellationToken cancellationToken)
    {
        var rows = await After(Journal(context, entity, horizon), cursor)
            .OrderBy(r => r.Xid).ThenBy(r => r.Seq)
            .Select(r => new JournalRow(r.Xid, r.Seq, r.RecordId, r.At, r.Changes))
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > size;
        if (hasMore)
        {
            rows.RemoveAt(size);
        }

        var next = rows.Count == 0 ? cursor : cursor with { Xid = rows[^1].Xid, Seq = rows[^1].Seq };
        var items = await EntriesAsync(session, context, entity, rows, cancellationToken);
        return new RecordChangesPage(items, Encode(session, entity, next), hasMore);
    }

    /// <summary>Each record of the rows once, at its last change, as the caller may see it now.</summary>
    private static async Task<List<RecordChangeEntry>> EntriesAsync(CrmSession session, TenantDbContext context, EntityDefinition entity, List<JournalRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.RecordId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        // Read without the scope predicate: a record out of reach is told apart from a deleted one below.
        var records = (await context.Records(entity.Name).Where(PredicateBuilder.IdIn(ids)).ToListAsync(cancellationToken))
            .Select(r => new RecordData(entity, r!, session.Permissions))
            .ToDictionary(r => r.Id);
        var shared = await Sharing.RecordReach.SharedAsync(context, session.Permissions, records.Values.Where(r => !ReadAccess.Allows(session.Permissions, r)).ToList(), toEdit: false, cancellationToken);
        var last = rows.Select((row, index) => (row, index)).GroupBy(x => x.row.RecordId).OrderBy(g => g.Max(x => x.index));
        var entries = new List<RecordChangeEntry>();
        foreach (var changes in last)
        {
            if (records.TryGetValue(changes.Key, out var record)
                && RecordChangeEntries.For(session.Permissions, record, changes.Select(x => (Utc(x.row.At), x.row.Changes)).ToList(), shared.Contains(record.Id)) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>An entity's settled changes: those of transactions that ended below the horizon.</summary>
    private static IQueryable<OutboxRow> Journal(TenantDbContext context, EntityDefinition entity, long horizon) =>
        context.Set<OutboxRow>().AsNoTracking().Where(r => r.Entity == entity.Name && r.Xid < horizon);

    private static IQueryable<OutboxRow> After(IQueryable<OutboxRow> journal, ChangesCursor cursor) =>
        journal.Where(r => r.Xid > cursor.Xid || (r.Xid == cursor.Xid && r.Seq > cursor.Seq));

    private string Encode(CrmSession session, EntityDefinition entity, ChangesCursor cursor) => cursor.Encode(cursors, session.TenantId, entity.Name);

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);

    private sealed record JournalRow(long Xid, long Seq, Guid RecordId, DateTime At, string Changes);
}
