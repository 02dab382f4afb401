using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Sdk.Records;
using GraphQL;
using GraphQL.Types;
using AggregateResult = CrmEngine.Engine.Records.Querying.Aggregation.AggregateResult;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// Per entity: <c>leadsAggregate(filter, groupBy, first, groupOrder)</c> returning <c>LeadAggregate</c>:
/// count, countDistinct, sum, avg, min and max for the whole set, and the same per group, where a
/// group is keyed by fields, lookups and date buckets. Only the values a query selects are computed,
/// in one GROUP BY for the totals and one for the groups.
/// </summary>
public sealed class AggregateContributor(RecordAggregator aggregator) : ISchemaContributor
{
    private static readonly string[] Functions = ["countDistinct", "sum", "avg", "min", "max"];

    public int Order => 15;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var bucket = new EnumerationGraphType<DateBucket> { Name = "DateBucket", Description = "A calendar period to group dates by; weeks start on Monday." };
        var groupOrder = new EnumerationGraphType<GroupOrder> { Name = "AggregateGroupOrder", Description = "The order of groups before the group limit applies." };
        foreach (var graph in context.Entities.Values)
        {
            var aggregateTypes = new AggregateTypes(graph, context, bucket);
            var entity = graph.Entity;
            context.Query.AddField(new FieldType
            {
                Name = ApiNames.AggregateField(entity),
                Description = $"Counts and totals over {entity.PluralName}, for all that match and per group.",
                ResolvedType = SharedTypes.NonNull(aggregateTypes.Result),
                Arguments = new QueryArguments(
                    new QueryArgument(graph.Filter) { Name = "filter" },
                    new QueryArgument(SharedTypes.ListOf(aggregateTypes.GroupBy)) { Name = "groupBy", Description = $"Up to {AggregateQuery.MaxGroupKeys} keys." },
                    new QueryArgument(types.Int) { Name = "first", DefaultValue = 100, Description = "The most groups to return (hasMoreGroups tells when there are more)." },
                    new QueryArgument(groupOrder) { Name = "groupOrder", DefaultValue = GroupOrder.KeyAsc }),
                Resolver = Resolve.Async(async (c, crm) =>
                {
                    var metadata = crm.Session.Metadata;
                    var top = Selections.Names(c);
                    var request = new AggregateRequest
                    {
                        Where = FilterInput.Read(metadata, entity, c.GetArgument<Dictionary<string, object?>?>("filter")),
                        GroupBy = (c.GetArgument<List<object?>?>("groupBy") ?? []).Select(g => ReadGroupBy((IDictionary<string, object?>)g!)).ToList(),
                        Values = Requested(c).ToList(),
                        GroupLimit = c.GetArgument<int>("first"),
                        Order = c.GetArgument<GroupOrder>("groupOrder"),
                    };
                    var query = new AggregateQuery(entity.Name, request)
                    {
                        IncludeTotals = top.Any(n => n != "groups" && n != "hasMoreGroups" && n != "__typename"),
                        IncludeGroups = top.Contains("groups") || top.Contains("hasMoreGroups"),
                    };
                    return new AggregateData(await aggregator.AggregateAsync(crm.Session, query, c.CancellationToken), request.GroupBy);
                }),
            });
        }
    }

    private static Grouping ReadGroupBy(IDictionary<string, object?> input) =>
        new((string)input["field"]!, input.TryGetValue("bucket", out var b) ? b as DateBucket? : null, input.TryGetValue("timeZone", out var z) ? z as string : null);

    /// <summary>The (function, field) pairs selected on the totals and on the groups.</summary>
    private static IEnumerable<Aggregate> Requested(IResolveFieldContext context)
    {
        foreach (var prefix in new[] { Array.Empty<string>(), ["groups"] })
        {
            foreach (var function in Functions)
            {
                foreach (var field in Selections.Names(context, [.. prefix, function]).Where(n => n != "__typename"))
                {
                    yield return new Aggregate(Enum.Parse<AggregateFunction>(function, ignoreCase: true), field);
                }
            }
        }
    }
}

/// <summary>An aggregate result with the groupBy it was asked with (group keys are read by field name).</summary>
public sealed record AggregateData(AggregateResult Result, IReadOnlyList<Grouping> GroupBy);

/// <summary>A group (or the totals) and the function whose values a nested object shows.</summary>
public sealed record AggregateCell(AggregateRow Row, AggregateFunction Function);

/// <summary>A group with the groupBy that keys it.</summary>
public sealed record AggregateGroupData(AggregateRow Row, IReadOnlyList<Grouping> GroupBy);
