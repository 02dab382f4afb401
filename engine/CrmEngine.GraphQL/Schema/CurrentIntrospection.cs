using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace CrmEngine.GraphQL.Schema;

/// <summary>
/// Makes a schema answer the introspection of the current GraphQL spec, which tools ask for
/// (graphql-js <c>getIntrospectionQuery</c> with <c>directiveIsRepeatable</c>, <c>specifiedByUrl</c>
/// and <c>inputValueDeprecation</c>; codegen; IDEs): <c>__Directive.isRepeatable</c>,
/// <c>includeDeprecated</c> on arguments and input fields, and <c>__Type.specifiedByURL</c>.
/// graphql-dotnet 8 has switches for the first two but leaves out <c>specifiedByURL</c> and the
/// <c>includeDeprecated</c> argument of <c>__Directive.args</c>; those are added to the schema's own
/// introspection types while it initializes.
/// </summary>
public static class CurrentIntrospection
{
    /// <summary>Metadata key a scalar graph type may set to the URL of its specification.</summary>
    public const string SpecifiedByUrlKey = "crm:specifiedByURL";

    /// <summary>Call before the schema initializes.</summary>
    public static void Enable(ISchema schema)
    {
        schema.Features.RepeatableDirectives = true;
        schema.Features.DeprecationOfInputValues = true;
        schema.RegisterVisitor(new MissingFields());
    }

    private sealed class MissingFields : BaseSchemaNodeVisitor
    {
        public override void VisitObject(IObjectGraphType type, ISchema schema)
        {
            switch (type.Name)
            {
                case "__Type" when !type.HasField("specifiedByURL"):
                    type.AddField(new FieldType
                    {
                        Name = "specifiedByURL",
                        Description = "The URL of the specification a custom scalar follows, when it names one.",
                        Type = typeof(StringGraphType),
                        ResolvedType = schema.AllTypes["String"],
                        Resolver = new FuncFieldResolver<IGraphType, string?>(c => c.Source is ScalarGraphType scalar ? scalar.GetMetadata<string?>(SpecifiedByUrlKey) : null),
                    });
                    break;
                case "__Directive" when type.GetField("args") is { } args && args.Arguments?.Find("includeDeprecated") is null:
                    // As on fields: deprecated arguments are listed only when asked for.
                    args.Arguments ??= [];
                    args.Arguments.Add(new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false, ResolvedType = schema.AllTypes["Boolean"] });
                    args.Resolver = new FuncFieldResolver<Directive, IEnumerable<QueryArgument>>(c =>
                    {
                        var includeDeprecated = c.GetArgument("includeDeprecated", false);
                        return (c.Source.Arguments ?? []).Where(a => includeDeprecated || string.IsNullOrWhiteSpace(a.DeprecationReason));
                    });
                    break;
            }
        }
    }
}
