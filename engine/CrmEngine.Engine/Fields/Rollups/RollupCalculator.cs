using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Fields.Rollups;

/// <summary>
/// Sets rollup values from scratch, one parent at a time: lock the parent's row, then aggregate its
/// children with a statement of its own and store the result. Every writer of a parent's rollups
/// takes that lock first, so the aggregate (a fresh statement, after the lock is held: on
/// PostgreSQL's READ COMMITTED it sees every child committed before) can't miss a concurrent child
/// write; an aggregate inside the UPDATE would use the statement's older snapshot. SQLite runs one
/// write at a time anyway. Parents are locked in id order, so two writes never wait on each other.
/// </summary>
public static class RollupCalculator
{
    /// <summary>Recomputes <paramref name="fields"/> (rollups of <paramref name="parent"/>) for each parent, in the context's transaction.</summary>
    public static async Task RecomputeAsync(TenantDbContext db, MetadataSnapshot metadata, EntityDefinition parent, IReadOnlyList<FieldDefinition> fields, IEnumerable<Guid> parentIds, CancellationToken cancellationToken)
    {
        foreach (var id in parentIds.Distinct().Order())
        {
            if (await LockAsync(db, parent.Name, id, cancellationToken) == 0)
            {
                // The parent is gone (purged); nothing holds its rollups.
                continue;
            }

            foreach (var field in fields)
            {
                var value = await ComputeAsync(db, metadata, field.Rollup!, id, cancellationToken);
                var column = field.Of().Columns(field)[0];
                await ColumnUpdates.SetAsync(db, parent.Name, column.Name, column.ClrType, value, id, cancellationToken);
            }
        }
    }

    /// <summary>Takes the parent's row lock (an UPDATE that changes nothing); the number of rows locked.</summary>
    private static Task<int> LockAsync(TenantDbContext db, string entity, Guid id, CancellationToken cancellationToken) =>
        db.Records(entity)
            .Where(r => EF.Property<Guid>(r, RecordColumns.Id) == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => EF.Property<long>(r, RecordColumns.Version), r => EF.Property<long>(r, RecordColumns.Version)), cancellationToken);

    /// <summary>The rollup's value for one parent: COUNT and SUM of no children are 0, the others null.</summary>
    private static async Task<object?> ComputeAsync(TenantDbContext db, MetadataSnapshot metadata, RollupDefinition rollup, Guid parentId, CancellationToken cancellationToken)
    {
        var child = metadata.Get(rollup.Entity);
        var lookup = child.FindField(rollup.Lookup)!;
        var query = new QueryContext(metadata, db, DateTime.UtcNow, TimeZoneInfo.Utc);
        var children = db.Records(child.Name)
            .Where(RecordReader.NotDeleted())
            .Where(PredicateBuilder.ColumnEquals(lookup.ColumnName, typeof(Guid?), (Guid?)parentId));
        if (RollupDefinitions.FilterOf(rollup, child) is { } filter)
        {
            children = children.Where(PredicateBuilder.Build(query, child, filter));
        }

        if (rollup.Function == RollupFunction.Count)
        {
            return await children.LongCountAsync(cancellationToken);
        }

        var spec = new Aggregate(rollup.Function switch
        {
            RollupFunction.Sum => AggregateFunction.Sum,
            RollupFunction.Min => AggregateFunction.Min,
            RollupFunction.Max => AggregateFunction.Max,
            _ => AggregateFunction.Avg,
        }, rollup.Field!);
        var total = await RecordAggregator.TotalAsync(children, AggregateValue.Resolve(query, child, spec), cancellationToken);
        return (total, rollup.ResultType) switch
        {
            (null, _) => rollup.Function == RollupFunction.Sum ? RollupKind.For(rollup.ResultType).Zero : null,
            (ExactDecimal sum, FieldType.Integer) => sum.TryToDecimal(out var whole) && whole is >= long.MinValue and <= long.MaxValue ? (long)whole : throw Overflow(rollup),
            (ExactDecimal sum, _) => sum.TryToDecimal(out var number) ? number : throw Overflow(rollup),
            // Averages are decimals, extremes in the field's own type (money as its amount).
            _ => total,
        };
    }

    private static CrmException Overflow(RollupDefinition rollup) =>
        new(ErrorCodes.AggregateOverflow, $"The {rollup.Function} of '{rollup.Entity}.{rollup.Field}' no longer fits the rollup's number type.");
}
