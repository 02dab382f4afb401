using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Schema;

/// <summary>
/// <c>__type(name: "")</c> answers null, as for any name no type has: graphql-dotnet's resolver
/// throws on an empty name, which reached clients as INTERNAL_ERROR.
/// </summary>
internal sealed class TypeLookup(IFieldResolver inner) : IFieldResolver
{
    public static void Guard(ISchema schema)
    {
        var field = schema.TypeMetaFieldType;
        if (field.Resolver is { } resolver and not TypeLookup)
        {
            field.Resolver = new TypeLookup(resolver);
        }
    }

    public ValueTask<object?> ResolveAsync(IResolveFieldContext context) =>
        string.IsNullOrEmpty(context.GetArgument<string>("name")) ? ValueTask.FromResult<object?>(null) : inner.ResolveAsync(context);
}
