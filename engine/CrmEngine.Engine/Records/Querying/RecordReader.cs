using System.Linq.Expressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// Reads records: by id, by a set of ids (for batched lookups), and as keyset-paged lists.
/// Every read uses its own short-lived context.
/// </summary>
public sealed class RecordReader(CursorCodec cursors, IOptions<CrmEngineOptions> options)
{
    private static readonly System.Reflection.MethodInfo GuidCompareTo = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;

    public async Task<RecordData?> GetAsync(CrmSession session, string entityName, Guid id, bool includeDeleted, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(entityName);
        await using var lease = ReadLease.For(session);
        var query = lease.Context.Records(entity.Name).Where(PredicateBuilder.ColumnEquals(RecordColumns.Id, typeof(Guid), id));
        if (!includeDeleted)
        {
            query = query.Where(NotDeleted());
        }

        var row = await query.FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new RecordData(entity, row!);
    }

    /// <summary>Records by id in one query; missing and deleted ids are simply absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, RecordData>> GetManyAsync(CrmSession session, string entityName, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(entityName);
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, RecordData>();
        }

        await using var lease = ReadLease.For(session);
        var filter = new FieldFilter(Metadata.SystemFields.Id, FilterOperator.In, ids.Distinct().Cast<object>().ToList());
        var rows = await lease.Context.Records(entity.Name).Where(PredicateBuilder.Build(entity, filter)).Where(NotDeleted()).ToListAsync(cancellationToken);
        return rows.Select(r => new RecordData(entity, r!)).ToDictionary(r => r.Id);
    }

    public async Task<RecordPage> ListAsync(CrmSession session, RecordQuery request, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(request.Entity);
        var size = PageSize(request);
        var backwards = request.Last is not null;
        var scope = $"{session.TenantId}/{entity.Name}/id";

        await using var lease = ReadLease.For(session);
        IQueryable<Dictionary<string, object>> query = lease.Context.Records(entity.Name);
        query = request.Deleted switch
        {
            DeletedRecords.Exclude => query.Where(NotDeleted()),
            DeletedRecords.Only => query.Where(Deleted()),
            _ => query,
        };
        if (request.Filter is not null)
        {
            query = query.Where(PredicateBuilder.Build(entity, request.Filter));
        }

        int? total = request.IncludeTotalCount ? await query.CountAsync(cancellationToken) : null;
        if (request.After is not null)
        {
            query = query.Where(IdCompared(Decode(request.After, scope), ExpressionType.GreaterThan));
        }

        if (request.Before is not null)
        {
            query = query.Where(IdCompared(Decode(request.Before, scope), ExpressionType.LessThan));
        }

        var id = (Expression<Func<Dictionary<string, object>, Guid>>)(r => EF.Property<Guid>(r, RecordColumns.Id));
        query = backwards ? query.OrderByDescending(id) : query.OrderBy(id);
        var rows = await query.Take(size + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > size;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (backwards)
        {
            rows.Reverse();
        }

        var edges = rows.Select(r => new RecordData(entity, r!)).Select(r => new RecordEdge(r, cursors.Encode(scope, [r.Id]))).ToList();
        return new RecordPage(
            edges,
            HasNextPage: backwards ? request.Before is not null : hasMore,
            HasPreviousPage: backwards ? hasMore : request.After is not null,
            total);
    }

    private int PageSize(RecordQuery request)
    {
        if (request.First is not null && request.Last is not null)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "Use either first or last, not both.", "first");
        }

        var size = request.First ?? request.Last ?? options.Value.DefaultPageSize;
        if (size < 0)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "first and last can't be negative.", request.First is null ? "last" : "first");
        }

        if (size > options.Value.MaxPageSize)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"A page holds at most {options.Value.MaxPageSize} records; ask for fewer and page with cursors.", request.First is null ? "last" : "first");
        }

        return size;
    }

    private Guid Decode(string cursor, string scope)
    {
        var keys = cursors.Decode(cursor, scope);
        return keys.Length == 1 && keys[0].TryGetGuid(out var id)
            ? id
            : throw new CrmException(ErrorCodes.InvalidCursor, "The cursor is not valid for this query.", "after");
    }

    internal static Expression<Func<Dictionary<string, object>, bool>> NotDeleted() => r => EF.Property<DateTime?>(r, RecordColumns.DeletedAt) == null;

    private static Expression<Func<Dictionary<string, object>, bool>> Deleted() => r => EF.Property<DateTime?>(r, RecordColumns.DeletedAt) != null;

    private static Expression<Func<Dictionary<string, object>, bool>> IdCompared(Guid key, ExpressionType comparison)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var compare = Expression.Call(PredicateBuilder.Column(row, RecordColumns.Id, typeof(Guid)), GuidCompareTo, PredicateBuilder.Parameter(key, typeof(Guid)));
        return Expression.Lambda<Func<Dictionary<string, object>, bool>>(Expression.MakeBinary(comparison, compare, Expression.Constant(0)), row);
    }
}
