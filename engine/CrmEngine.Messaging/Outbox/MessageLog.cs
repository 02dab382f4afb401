using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Messaging.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// The message log, read with the caller's rights: admins see every message; anyone else sees the
/// messages about records they can read (a record they can't read has, for them, no messages).
/// </summary>
public sealed class MessageLog(RecordReader reader)
{
    public const int MaxPage = 500;

    /// <summary>Messages newest first: about one record (its timeline) or all the caller may see, in one status or any.</summary>
    public async Task<IReadOnlyList<MessageRow>> ListAsync(CrmSession session, (string Entity, Guid Id)? record, MessageStatus? status, int first, CancellationToken cancellationToken)
    {
        first = Math.Clamp(first, 1, MaxPage);
        await using var context = session.CreateContext();
        var rows = context.Set<MessageRow>().AsQueryable();
        if (status is { } wanted)
        {
            var name = wanted.ToString();
            rows = rows.Where(m => m.Status == name);
        }

        if (record is { } about)
        {
            if (session.Metadata.Find(about.Entity) is null || await reader.GetAsync(session, about.Entity, about.Id, includeDeleted: true, cancellationToken) is null)
            {
                return [];
            }

            return await Newest(rows.Where(m => m.Entity == about.Entity && m.RecordId == about.Id)).Take(first).ToListAsync(cancellationToken);
        }

        if (session.Permissions.IsAdmin)
        {
            return await Newest(rows).Take(first).ToListAsync(cancellationToken);
        }

        return await VisibleAsync(session, rows, first, cancellationToken);
    }

    /// <summary>Pages through the log, keeping the messages about records the caller can read, until the page is full or the log ends.</summary>
    private async Task<IReadOnlyList<MessageRow>> VisibleAsync(CrmSession session, IQueryable<MessageRow> rows, int first, CancellationToken cancellationToken)
    {
        var kept = new List<MessageRow>(first);
        var chunk = Math.Max(first * 2, 100);
        for (var skipped = 0; kept.Count < first; skipped += chunk)
        {
            var candidates = await Newest(rows).Skip(skipped).Take(chunk).ToListAsync(cancellationToken);
            foreach (var group in candidates.GroupBy(m => m.Entity))
            {
                if (session.Metadata.Find(group.Key) is null)
                {
                    continue;
                }

                var readable = await reader.GetManyAsync(session, group.Key, group.Select(m => m.RecordId).Distinct().ToList(), cancellationToken);
                group.Where(m => readable.ContainsKey(m.RecordId)).ToList().ForEach(kept.Add);
            }

            if (candidates.Count < chunk)
            {
                break;
            }
        }

        return [.. kept.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(first)];
    }

    private static IQueryable<MessageRow> Newest(IQueryable<MessageRow> rows) => rows.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id);
}
