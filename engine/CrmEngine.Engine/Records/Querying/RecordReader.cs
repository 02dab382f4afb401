using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Reads records: by id, by a set of ids (for batched lookups), and as keyset-paged, filtered and
/// sorted lists. Every read uses a context its store rents out (or the open write's, see <see cref="ReadLease"/>);
/// the hottest reads go through the provider's <see cref="IFastReads"/>.
/// </summary>
public sealed class RecordReader(CursorCodec cursors, IOptions<CrmEngineOptions> options, TimeProvider time, IFastReads reads)
{
    public async Task<RecordData?> GetAsync(CrmSession session, string entityName, Guid id, bool includeDeleted, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(entityName);
        if (!ReadAccess.CanReadAny(session.Permissions, entity.Name))
        {
            return null;
        }

        await using var lease = ReadLease.For(session);
        if (!includeDeleted)
        {
            var live = await reads.LiveByIdAsync(lease.Context, entity.Name, id, cancellationToken);
            return await VisibleAsync(session, lease.Context, live is null ? null : new RecordData(entity, live!, session.Permissions), cancellationToken);
        }

        var row = await lease.Context.Records(entity.Name).Where(PredicateBuilder.ColumnEquals(RecordColumns.Id, typeof(Guid), id)).FirstOrDefaultAsync(cancellationToken);
        return await VisibleAsync(session, lease.Context, row is null ? null : new RecordData(entity, row!, session.Permissions), cancellationToken);
    }

    /// <summary>A record outside the caller's read scope is, for the caller, no record at all.</summary>
    private static async Task<RecordData?> VisibleAsync(CrmSession session, TenantDbContext context, RecordData? record, CancellationToken cancellationToken) =>
        record is not null && await Sharing.RecordReach.ReadableAsync(context, session.Permissions, record, cancellationToken) ? record : null;

    /// <summary>Records by id in one query; missing and deleted ids are simply absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, RecordData>> GetManyAsync(CrmSession session, string entityName, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(entityName);
        if (ids.Count == 0 || !ReadAccess.CanReadAny(session.Permissions, entity.Name))
        {
            return new Dictionary<Guid, RecordData>();
        }

        await using var lease = ReadLease.For(session);
        var rows = await ReadAccess.Apply(lease.Context.Records(entity.Name), session.Permissions, entity, lease.Context).Where(PredicateBuilder.IdIn(ids)).Where(NotDeleted()).ToListAsync(cancellationToken);
        return rows.Select(r => new RecordData(entity, r!, session.Permissions)).ToDictionary(r => r.Id);
    }

    public async Task<RecordPage> ListAsync(CrmSession session, RecordQuery request, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(request.Entity);
        var size = Paging.Size(request, options.Value);
        var backwards = request.Last is not null;

        await using var lease = ReadLease.For(session);
        var context = QueryContext.For(session, lease.Context, options.Value, time);
        var plan = SortPlan.Create(context, entity, request.OrderBy);
        var scope = $"{session.TenantId}/{entity.Name}/{plan.Shape}";
        var query = Filtered(context, lease.Context, entity.Name, request.Filter, request.Deleted);

        int? total = request.IncludeTotalCount ? await query.CountAsync(cancellationToken) : null;
        if (request.After is not null)
        {
            query = query.Where(Keyset.After(plan.Keys, Paging.Decode(cursors, request.After, scope, plan.Keys)));
        }

        if (request.Before is not null)
        {
            var reversed = plan.Reversed();
            query = query.Where(Keyset.After(reversed, Paging.Decode(cursors, request.Before, scope, reversed)));
        }

        var keys = backwards ? plan.Reversed() : plan.Keys;
        query = Keyset.Order(query, keys, session.Store.Provider.NullsSortAsSmallest).Take(size + 1);
        var rows = plan.HasDerivedKeys
            ? await query.Select(KeyedRow.Selector(plan.Keys.Where(k => k.Column is null))).ToListAsync(cancellationToken)
            : request.Fields is { } fields
                ? await ReadColumnsAsync(lease.Context, query, Columns(lease.Context, entity, fields, plan), cancellationToken)
                : (await query.ToListAsync(cancellationToken)).Select(r => new KeyedRow { Row = r }).ToList();
        var hasMore = rows.Count > size;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (backwards)
        {
            rows.Reverse();
        }

        var edges = rows.Select(r => new RecordEdge(new RecordData(entity, r.Values, session.Permissions), () => cursors.Encode(scope, Paging.CursorValues(plan, r)))).ToList();
        return new RecordPage(
            edges,
            HasNextPage: backwards ? request.Before is not null : hasMore,
            HasPreviousPage: backwards ? hasMore : request.After is not null,
            total);
    }

    /// <summary>The id, the columns of the requested fields (system fields among them) and the sort columns, with their CLR types.</summary>
    private static List<(string Column, Type Type)> Columns(TenantDbContext context, Metadata.EntityDefinition entity, IReadOnlyCollection<string> fields, SortPlan plan)
    {
        var wanted = new List<string> { RecordColumns.Id };
        foreach (var name in fields)
        {
            if (QueryColumn.SystemColumn(name) is { } system)
            {
                wanted.Add(system);
            }
            else if (entity.FindField(name) is { } field)
            {
                wanted.AddRange(Fields.FieldKinds.Of(field).Columns(field).Select(c => c.Name));
            }
        }

        wanted.AddRange(plan.Keys.Where(k => k.Column is not null).Select(k => k.Column!));
        var type = context.Model.FindEntityType(entity.Name)!;
        return wanted.Distinct(StringComparer.Ordinal).Select(c => (c, type.FindProperty(c)!.ClrType)).ToList();
    }

    private async Task<List<KeyedRow>> ReadColumnsAsync(TenantDbContext context, IQueryable<Dictionary<string, object>> query, List<(string Column, Type Type)> columns, CancellationToken cancellationToken)
    {
        var projected = query.Select(KeyedRow.ColumnsSelector(columns));
        var values = await reads.ReadRowsAsync(context, projected, columns.ConvertAll(c => c.Type), cancellationToken);
        var index = new ColumnRow.Index(columns.ConvertAll(c => c.Column));
        return values.ConvertAll(v => new KeyedRow { Values = new ColumnRow(index, v) });
    }

    /// <summary>The records of an entity matching a filter and the deleted-records choice, unordered.</summary>
    internal static IQueryable<Dictionary<string, object>> Filtered(QueryContext context, TenantDbContext db, string entity, Condition? filter, DeletedRecords deleted)
    {
        var query = context.Scoped(db.Records(entity), entity);
        query = deleted switch
        {
            DeletedRecords.Exclude => query.Where(NotDeleted()),
            DeletedRecords.Only => query.Where(Deleted()),
            _ => query,
        };
        return filter is null ? query : query.Where(PredicateBuilder.Build(context, context.Metadata.Get(entity), filter));
    }

    // Built once: a lambda the compiler turns into an expression tree is rebuilt, with reflection, on every call.
    private static readonly System.Linq.Expressions.Expression<Func<Dictionary<string, object>, bool>> Live = r => EF.Property<DateTime?>(r, RecordColumns.DeletedAt) == null;
    private static readonly System.Linq.Expressions.Expression<Func<Dictionary<string, object>, bool>> Removed = r => EF.Property<DateTime?>(r, RecordColumns.DeletedAt) != null;

    internal static System.Linq.Expressions.Expression<Func<Dictionary<string, object>, bool>> NotDeleted() => Live;

    private static System.Linq.Expressions.Expression<Func<Dictionary<string, object>, bool>> Deleted() => Removed;
}
