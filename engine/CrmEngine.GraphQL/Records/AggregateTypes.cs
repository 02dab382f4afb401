using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Sdk.Records;
using GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>The aggregate types of one entity: result, group, group key, groupBy input and the per-function value objects.</summary>
internal sealed class AggregateTypes
{
    public AggregateTypes(EntityGraphTypes graph, SchemaBuildContext context, EnumerationGraphType<DateBucket> bucket)
    {
        var entity = graph.Entity;
        var types = context.Types;
        var groupable = entity.ActiveFields.Where(f => f.Of().IsGroupable).ToList();

        var fieldEnum = new EnumerationGraphType { Name = ApiNames.FieldEnum(entity), Description = $"A field {entity.PluralName} can be grouped by." };
        foreach (var name in new[] { SystemFields.CreatedAt, SystemFields.UpdatedAt, SystemFields.OwnerId }.Concat(groupable.Select(f => f.Name)).Where(IsEnumName))
        {
            fieldEnum.Add(name, name, null);
        }

        GroupBy = SharedTypes.Input(ApiNames.GroupBy(entity), "One group key: a field, and for dates a bucket (in timeZone, an IANA id; the engine's zone when omitted).",
            ("field", SharedTypes.NonNull(fieldEnum)), ("bucket", bucket), ("timeZone", types.String));

        var key = new ObjectGraphType { Name = ApiNames.GroupKey(entity), Description = "What identifies a group: the value of each groupBy field (null for fields not grouped by); date buckets give their first day." };
        AddKey(key, SystemFields.CreatedAt, types.DateTime, v => v);
        AddKey(key, SystemFields.UpdatedAt, types.DateTime, v => v);
        AddKey(key, SystemFields.OwnerId, types.Id, v => v is Guid id ? GlobalId.Encode(GlobalId.UserType, id) : null);
        foreach (var field in groupable)
        {
            if (field.Type != CrmFieldType.Lookup)
            {
                AddKey(key, field.Name, context.Kinds.Output(field), v => v, field.Name);
                continue;
            }

            var target = field.LookupEntity!;
            AddKey(key, LookupKind.IdMemberName(field), types.Id, v => v is Guid id ? GlobalId.Encode(target, id) : null, field.Name);
            if (context.Entities.TryGetValue(target, out var targetTypes))
            {
                key.AddField(new FieldType
                {
                    Name = field.Name,
                    ResolvedType = targetTypes.Record,
                    Resolver = Resolve.Sync(c => KeyValue(c.Source!, field.Name) is Guid id ? c.Crm().Loader.Load(target, id) : null),
                });
            }
        }

        var numeric = entity.ActiveFields.Where(f => f.Of().Aggregates.Contains(AggregateFunction.Sum)).ToList();
        var numbers = Values(ApiNames.AggregateNumbers(entity), "Sums or averages of numeric fields (money: the amounts). Sums are exact at any size; averages are the exact sum divided by the count, to as many digits as a Decimal holds.",
            numeric.Select(f => (f.Name, (IGraphType)types.BigDecimal)));
        var extremes = Values(ApiNames.AggregateExtremes(entity), "Smallest or largest values.",
            new[] { (SystemFields.CreatedAt, (IGraphType)types.DateTime), (SystemFields.UpdatedAt, types.DateTime) }
                .Concat(entity.ActiveFields.Where(f => f.Of().Aggregates.Contains(AggregateFunction.Min)).Select(f => (f.Name, context.Kinds.Extreme(f)))));
        var counts = Values(ApiNames.AggregateCounts(entity), "How many different values each field has.",
            new[] { (SystemFields.OwnerId, (IGraphType)types.Int) }.Concat(entity.ActiveFields.Where(f => f.Of().Aggregates.Contains(AggregateFunction.CountDistinct)).Select(f => (f.Name, (IGraphType)types.Int))));

        Group = new ObjectGraphType { Name = ApiNames.AggregateGroup(entity), Description = $"One group of {entity.PluralName}." };
        Group.AddField(new FieldType { Name = "key", ResolvedType = SharedTypes.NonNull(key), Resolver = Resolve.Sync(c => c.Source) });
        AddValues(Group, c => ((AggregateGroupData)c.Source!).Row, numbers, extremes, counts, types);

        Result = new ObjectGraphType { Name = ApiNames.Aggregate(entity), Description = $"Aggregates over {entity.PluralName}: totals for all that match, and groups." };
        AddValues(Result, c => ((AggregateData)c.Source!).Result.Totals!, numbers, extremes, counts, types);
        Result.AddField(new FieldType
        {
            Name = "groups",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(Group)),
            Description = "The groups, in groupOrder, at most `first` of them; without groupBy, one group of everything.",
            Resolver = Resolve.Sync(c => ((AggregateData)c.Source!).Result.Groups.Select(g => new AggregateGroupData(g, ((AggregateData)c.Source!).GroupBy)).ToList()),
        });
        Result.AddField(new FieldType
        {
            Name = "hasMoreGroups",
            ResolvedType = SharedTypes.NonNull(types.Boolean),
            Resolver = Resolve.Sync(c => ((AggregateData)c.Source!).Result.HasMoreGroups),
        });
    }

    public ObjectGraphType Result { get; }

    public ObjectGraphType Group { get; }

    public InputObjectGraphType GroupBy { get; }

    /// <summary>Names graphql can't take as enum values (true, false, null) are left out of the field enum.</summary>
    private static bool IsEnumName(string name) => name is not ("true" or "false" or "null");

    private static object? KeyValue(object source, string field)
    {
        var group = (AggregateGroupData)source;
        for (var i = 0; i < group.GroupBy.Count; i++)
        {
            if (group.GroupBy[i].Field == field)
            {
                return group.Row.Key[i];
            }
        }

        return null;
    }

    private static void AddKey(ObjectGraphType key, string member, IGraphType type, Func<object?, object?> convert, string? field = null) =>
        key.AddField(new FieldType { Name = member, ResolvedType = type, Resolver = Resolve.Sync(c => convert(KeyValue(c.Source!, field ?? member))) });

    private static ObjectGraphType? Values(string name, string description, IEnumerable<(string Field, IGraphType Type)> fields)
    {
        var type = new ObjectGraphType { Name = name, Description = description };
        foreach (var (field, graphType) in fields)
        {
            type.AddField(new FieldType
            {
                Name = field,
                ResolvedType = graphType,
                Resolver = Resolve.Sync(c =>
                {
                    var cell = (AggregateCell)c.Source!;
                    var value = cell.Row.Values.GetValueOrDefault(new Aggregate(cell.Function, field));
                    return value is long count && cell.Function == AggregateFunction.CountDistinct ? (int)count : value;
                }),
            });
        }

        return type.Fields.Count == 0 ? null : type;
    }

    private static void AddValues(ObjectGraphType type, Func<global::GraphQL.IResolveFieldContext, AggregateRow> row, ObjectGraphType? numbers, ObjectGraphType? extremes, ObjectGraphType? counts, SharedTypes types)
    {
        type.AddField(new FieldType { Name = "count", ResolvedType = SharedTypes.NonNull(types.Int), Resolver = Resolve.Sync(c => (int)row(c).Count) });
        foreach (var (name, function, valueType) in new[]
        {
            ("countDistinct", AggregateFunction.CountDistinct, counts), ("sum", AggregateFunction.Sum, numbers), ("avg", AggregateFunction.Avg, numbers),
            ("min", AggregateFunction.Min, extremes), ("max", AggregateFunction.Max, extremes),
        })
        {
            if (valueType is not null)
            {
                type.AddField(new FieldType { Name = name, ResolvedType = SharedTypes.NonNull(valueType), Resolver = Resolve.Sync(c => new AggregateCell(row(c), function)) });
            }
        }
    }
}
