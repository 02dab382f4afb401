using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Tests.Execution;

/// <summary>
/// A small schema shaped like the engine's: records whose fields read only their source (some of
/// them failing, some null where they must not be), money-like objects, lists, an interface, and
/// root fields with ordinary resolvers.
/// </summary>
internal static class TestSchema
{
    public sealed record Price(decimal? Amount, string? Currency);

    public sealed record Item(string Id, string? Name, string[]? Tags, Price? Price, DateTime? When, bool Flag, long Count, string? Strict, Item? Child, Item[] Kids, bool Broken = false);

    public sealed record Other(string Label);

    /// <summary>graphql-dotnet's executer with the given validator and query strategy, and nothing else.</summary>
    public static DocumentExecuter Executer(IDocumentValidator validator, IExecutionStrategy strategy) =>
        new(new GraphQLDocumentBuilder(), validator, new DefaultExecutionStrategySelector([new ExecutionStrategyRegistration(strategy, GraphQLParser.AST.OperationType.Query)]), []);

    public static global::GraphQL.Types.Schema Build()
    {
        var named = new InterfaceGraphType { Name = "Named" };
        named.AddField(new FieldType { Name = "title", ResolvedType = new StringGraphType() });

        var price = new ObjectGraphType { Name = "Price" };
        price.AddField(Source("amount", new NonNullGraphType(new DecimalGraphType()), s => ((Price)s).Amount));
        price.AddField(Source("currency", new NonNullGraphType(new StringGraphType()), s => ((Price)s).Currency));

        var item = new ObjectGraphType { Name = "Item" };
        item.AddField(Source("id", new NonNullGraphType(new IdGraphType()), s => ((Item)s).Id));
        item.AddField(Source("title", new StringGraphType(), s => ((Item)s).Name));
        item.AddField(Source("name", new StringGraphType(), s => ((Item)s).Name));
        item.AddField(Source("tags", new ListGraphType(new NonNullGraphType(new StringGraphType())), s => ((Item)s).Tags));
        item.AddField(Source("price", price, s => ((Item)s).Price));
        item.AddField(Source("when", new DateTimeGraphType(), s => ((Item)s).When));
        item.AddField(Source("flag", new NonNullGraphType(new BooleanGraphType()), s => ((Item)s).Flag));
        item.AddField(Source("count", new LongGraphType(), s => ((Item)s).Count));
        item.AddField(Source("strict", new NonNullGraphType(new StringGraphType()), s => ((Item)s).Strict));
        item.AddField(Source("broken", new StringGraphType(), s => ((Item)s).Broken ? throw new CrmException(ErrorCodes.Forbidden, "No reading this.", "broken") : "fine"));
        item.AddField(Source("child", item, s => ((Item)s).Child));
        item.AddField(Source("kids", new NonNullGraphType(new ListGraphType(new NonNullGraphType(item))), s => ((Item)s).Kids));
        item.AddField(Source("named", named, s => ((Item)s).Name is null ? new Other("other of " + ((Item)s).Id) : s));
        item.AddField(new FieldType { Name = "echo", ResolvedType = new StringGraphType(), Arguments = new QueryArguments(new QueryArgument<StringGraphType> { Name = "text" }), Resolver = new FuncFieldResolver<object?>(c => c.GetArgument<string?>("text")) });
        item.AddResolvedInterface(named);
        named.AddPossibleType(item);

        var other = new ObjectGraphType { Name = "Other" };
        other.AddField(Source("title", new StringGraphType(), s => ((Other)s).Label));
        other.AddField(Source("label", new NonNullGraphType(new StringGraphType()), s => ((Other)s).Label));
        other.AddResolvedInterface(named);
        named.AddPossibleType(other);
        named.ResolveType = value => value is Item ? item : value is Other ? other : null;

        var range = new InputObjectGraphType { Name = "Range" };
        range.AddField(new FieldType { Name = "from", ResolvedType = new NonNullGraphType(new IntGraphType()) });
        range.AddField(new FieldType { Name = "to", ResolvedType = new IntGraphType() });
        range.AddField(new FieldType { Name = "labels", ResolvedType = new ListGraphType(new NonNullGraphType(new StringGraphType())) });

        var query = new ObjectGraphType { Name = "Query" };
        query.AddField(new FieldType
        {
            Name = "echo",
            ResolvedType = new StringGraphType(),
            Arguments = new QueryArguments(
                new QueryArgument(new NonNullGraphType(new IntGraphType())) { Name = "count" },
                new QueryArgument(range) { Name = "range" },
                new QueryArgument(new ListGraphType(new IntGraphType())) { Name = "numbers" },
                new QueryArgument<StringGraphType> { Name = "text", DefaultValue = "默认" }),
            Resolver = new FuncFieldResolver<object?>(c => System.Text.Json.JsonSerializer.Serialize(c.Arguments?.ToDictionary(a => a.Key, a => a.Value.Value?.ToString() + "/" + a.Value.Source))),
        });
        query.AddField(new FieldType
        {
            Name = "items",
            ResolvedType = new NonNullGraphType(new ListGraphType(new NonNullGraphType(item))),
            Arguments = new QueryArguments(new QueryArgument<StringGraphType> { Name = "kind" }),
            Resolver = new FuncFieldResolver<object?>(c => Items(c.GetArgument<string?>("kind"))),
        });
        query.AddField(new FieldType { Name = "first", ResolvedType = item, Resolver = new FuncFieldResolver<object?>(_ => Items(null)[0]) });
        var schema = new global::GraphQL.Types.Schema { Query = query };
        schema.RegisterType(other);
        schema.Initialize();
        return schema;
    }

    private static FieldType Source(string name, IGraphType type, Func<object, object?> read) =>
        new() { Name = name, ResolvedType = type, Resolver = Resolve.FromSource(read) };

    /// <summary>Three items (and their children); <paramref name="kind"/> adds the troublesome ones.</summary>
    private static Item[] Items(string? kind)
    {
        var at = new DateTime(2026, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);
        Item Leaf(string id) => new(id, "叶子 " + id, ["a", "b"], new Price(1.50m, "CNY"), null, false, 0, "s", null, []);
        var items = new List<Item>
        {
            new("1", "深圳华为技术有限公司", ["x"], new Price(121429.80m, "CNY"), at, true, 42, "ok", Leaf("1a"), [Leaf("1b"), Leaf("1c")]),
            new("2", null, null, null, null, false, -1, "ok", null, []),
            new("3", "<b>\"quoted\" & 'tagged'</b>", [], new Price(0m, "USD"), at.AddDays(-400), true, long.MaxValue, "ok", null, [Leaf("3a")]),
        };
        switch (kind)
        {
            case "broken":
                items.Insert(1, items[0] with { Id = "b", Broken = true });
                break;
            case "strict":
                items.Add(items[0] with { Id = "n", Strict = null });
                break;
            case "nested-strict":
                items.Add(items[0] with { Id = "k", Kids = [Leaf("k1") with { Strict = null }] });
                break;
            case "price":
                items.Add(items[0] with { Id = "p", Price = new Price(5m, null) });
                break;
        }

        return [.. items];
    }
}
