using System.Linq.Expressions;
using System.Reflection;
using CrmEngine.Engine.Errors;
using CrmEngine.Sdk.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>
/// Runs aggregate queries as one SQL GROUP BY each (one for the totals, one for the groups): keys
/// and values are LINQ over EF.Property calls, so the store does the work on either provider.
/// </summary>
public sealed class RecordAggregator(IOptions<CrmEngineOptions> options, TimeProvider time)
{
    private static readonly MethodInfo QueryableGroupBy = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.GroupBy) && m.GetParameters().Length == 2 && m.GetGenericArguments().Length == 2);
    private static readonly MethodInfo QueryableSelect = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.Select) && m.GetParameters().Length == 2 && m.GetParameters()[1].ParameterType.GetGenericArguments()[0].GetGenericArguments().Length == 2);
    private static readonly MethodInfo QueryableTake = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.Take) && m.GetParameters()[1].ParameterType == typeof(int));
    private static readonly MethodInfo EnumerableLongCount = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.LongCount) && m.GetParameters().Length == 1);
    private static readonly MethodInfo EnumerableSelect = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Select) && m.GetParameters()[1].ParameterType.GetGenericArguments().Length == 2);
    private static readonly MethodInfo EnumerableDistinct = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Distinct) && m.GetParameters().Length == 1);
    private static readonly MethodInfo EnumerableCount = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 1);
    private static readonly MethodInfo EnumerableMin = GenericSelector(nameof(Enumerable.Min));
    private static readonly MethodInfo EnumerableMax = GenericSelector(nameof(Enumerable.Max));

    public async Task<AggregateResult> AggregateAsync(CrmSession session, AggregateQuery query, CancellationToken cancellationToken)
    {
        var entity = session.Metadata.Get(query.Entity);
        var request = query.Request;
        if (request.GroupBy.Count > AggregateQuery.MaxGroupKeys)
        {
            throw new CrmException(ErrorCodes.InvalidAggregate, $"Group by at most {AggregateQuery.MaxGroupKeys} fields.", "groupBy");
        }

        if (query.FiscalYearStartMonth is < 1 or > 12)
        {
            throw new CrmException(ErrorCodes.InvalidAggregate, "A fiscal year starts in month 1 to 12.", "fiscalYearStartMonth");
        }

        if (request.GroupLimit < 1 || request.GroupLimit > options.Value.MaxAggregateGroups)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"Ask for 1 to {options.Value.MaxAggregateGroups} groups.", "first");
        }

        await using var lease = ReadLease.For(session);
        var context = QueryContext.For(session, lease.Context, options.Value, time);
        var values = request.Values.Distinct().Select(v => AggregateValue.Resolve(context, entity, v)).ToList();
        if (values.Count > AggregateRecord.MaxValues)
        {
            throw new CrmException(ErrorCodes.InvalidAggregate, $"Ask for at most {AggregateRecord.MaxValues} aggregate values at once.", "values");
        }

        var keys = request.GroupBy.Select((g, i) => GroupKeyExpression.Resolve(entity, g, context, query.FiscalKeys.Contains(i) ? query.FiscalYearStartMonth - 1 : 0)).ToList();
        var filtered = RecordReader.Filtered(context, lease.Context, entity.Name, request.Where, DeletedRecords.Exclude);

        AggregateRow? totals = null;
        if (query.IncludeTotals || keys.Count == 0)
        {
            var all = await RunAsync(filtered, [], values, GroupOrder.KeyAsc, 1, cancellationToken);
            totals = all.Count == 1 ? all[0] : new AggregateRow([], 0, values.ToDictionary(v => v.Spec, v => v.Empty));
        }

        if (keys.Count == 0 || !query.IncludeGroups)
        {
            return new AggregateResult(totals, keys.Count == 0 && totals is not null ? [totals] : [], false);
        }

        var groups = await RunAsync(filtered, keys, values, request.Order, request.GroupLimit + 1, cancellationToken);
        var hasMore = groups.Count > request.GroupLimit;
        return new AggregateResult(totals, hasMore ? groups.Take(request.GroupLimit).ToList() : groups, hasMore);
    }

    /// <summary>One value over all of <paramref name="source"/>, as the API gives it; null over no rows (the rollups' recompute).</summary>
    internal static async Task<object?> TotalAsync(IQueryable<Dictionary<string, object>> source, AggregateValue value, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(source, [], [value], GroupOrder.KeyAsc, 1, cancellationToken);
        return rows.Count == 1 ? rows[0].Values[value.Spec] : null;
    }

    private static async Task<List<AggregateRow>> RunAsync(
        IQueryable<Dictionary<string, object>> source, List<GroupKeyExpression> keys, List<AggregateValue> values, GroupOrder order, int take, CancellationToken cancellationToken)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var (keyType, keySelector) = KeySelector(keys, row);
        var grouping = typeof(IGrouping<,>).MakeGenericType(keyType, typeof(Dictionary<string, object>));
        var grouped = Expression.Call(QueryableGroupBy.MakeGenericMethod(typeof(Dictionary<string, object>), keyType), source.Expression, Expression.Quote(Expression.Lambda(keySelector, row)));
        var ordered = Order(grouped, grouping, keyType, keys, order);
        var limited = Expression.Call(QueryableTake.MakeGenericMethod(grouping), ordered, Expression.Constant(take));

        var g = Expression.Parameter(grouping, "g");
        var bindings = new List<MemberBinding> { Bind(nameof(AggregateRecord.Count), Expression.Call(EnumerableLongCount.MakeGenericMethod(typeof(Dictionary<string, object>)), g)) };
        for (var i = 0; i < keys.Count; i++)
        {
            bindings.Add(Bind("K" + (i + 1), Expression.Convert(Expression.Property(Expression.Property(g, "Key"), "K" + (i + 1)), typeof(object))));
        }

        for (var i = 0; i < values.Count; i++)
        {
            bindings.Add(Bind("V" + i, Expression.Convert(values[i].Compute(g), typeof(object))));
        }

        var projection = Expression.Lambda(Expression.MemberInit(Expression.New(typeof(AggregateRecord)), bindings), g);
        var selected = Expression.Call(QueryableSelect.MakeGenericMethod(grouping, typeof(AggregateRecord)), limited, Expression.Quote(projection));
        var records = await source.Provider.CreateQuery<AggregateRecord>(selected).ToListAsync(cancellationToken);
        return records.Select(r => new AggregateRow(
            keys.Select((k, i) => k.ToApi(r.Key(i))).ToList(),
            r.Count,
            values.Select((v, i) => (v.Spec, Value: v.ToApi(r.Value(i)))).ToDictionary(x => x.Spec, x => x.Value))).ToList();
    }

    /// <summary>new GroupKey&lt;...&gt; { K1 = ..., ... }, or a constant for the totals (one group of everything).</summary>
    private static (Type KeyType, Expression Selector) KeySelector(List<GroupKeyExpression> keys, ParameterExpression row)
    {
        if (keys.Count == 0)
        {
            return (typeof(int), Expression.Constant(1));
        }

        var parts = keys.Select(k => k.Build(row)).ToList();
        var definition = keys.Count switch
        {
            1 => typeof(GroupKey<>),
            2 => typeof(GroupKey<,>),
            _ => typeof(GroupKey<,,>),
        };
        var keyType = definition.MakeGenericType(parts.Select(p => p.Type).ToArray());
        var bindings = parts.Select((p, i) => (MemberBinding)Expression.Bind(keyType.GetProperty("K" + (i + 1))!, p));
        return (keyType, Expression.MemberInit(Expression.New(keyType), bindings));
    }

    private static Expression Order(Expression grouped, Type grouping, Type keyType, List<GroupKeyExpression> keys, GroupOrder order)
    {
        var g = Expression.Parameter(grouping, "g");
        var terms = new List<(LambdaExpression Key, bool Descending)>();
        if (order is GroupOrder.CountDesc or GroupOrder.CountAsc)
        {
            terms.Add((Expression.Lambda(Expression.Call(EnumerableLongCount.MakeGenericMethod(typeof(Dictionary<string, object>)), g), g), order == GroupOrder.CountDesc));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            foreach (var term in keys[i].OrderTerms(Expression.Property(Expression.Property(g, "Key"), keyType.GetProperty("K" + (i + 1))!)))
            {
                terms.Add((Expression.Lambda(term, g), order == GroupOrder.KeyDesc));
            }
        }

        var result = grouped;
        for (var i = 0; i < terms.Count; i++)
        {
            var name = (i == 0 ? "OrderBy" : "ThenBy") + (terms[i].Descending ? "Descending" : string.Empty);
            var method = typeof(Queryable).GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 2);
            result = Expression.Call(method.MakeGenericMethod(grouping, terms[i].Key.ReturnType), result, Expression.Quote(terms[i].Key));
        }

        return result;
    }

    private static MemberAssignment Bind(string member, Expression value) => Expression.Bind(typeof(AggregateRecord).GetProperty(member)!, value);

    internal static Expression Count(Expression group, Expression selector) =>
        Expression.Call(EnumerableCount.MakeGenericMethod(selector.Type.GetGenericArguments()[1]),
            Expression.Call(EnumerableDistinct.MakeGenericMethod(selector.Type.GetGenericArguments()[1]),
                Expression.Call(EnumerableSelect.MakeGenericMethod(typeof(Dictionary<string, object>), selector.Type.GetGenericArguments()[1]), group, selector)));

    internal static Expression Extreme(Expression group, LambdaExpression selector, bool max) =>
        Expression.Call((max ? EnumerableMax : EnumerableMin).MakeGenericMethod(typeof(Dictionary<string, object>), selector.ReturnType), group, selector);

    private static MethodInfo GenericSelector(string name) => typeof(Enumerable).GetMethods()
        .Single(m => m.Name == name && m.IsGenericMethodDefinition && m.GetGenericArguments().Length == 2 && m.GetParameters().Length == 2
            && m.GetParameters()[1].ParameterType.GetGenericTypeDefinition() == typeof(Func<,>));
}
