using CrmEngine.Engine.Errors;
using GraphQL;
using GraphQL.Resolvers;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// A field resolver that needs nothing but the parent's value. <see cref="CrmExecutionStrategy"/>
/// calls <see cref="Read"/> directly; anything else (field middleware, tools) sees an ordinary resolver.
/// </summary>
public sealed class SourceResolver(Func<object, object?> read) : IFieldResolver
{
    /// <summary>The field's value for <paramref name="source"/>; engine refusals come out as GraphQL errors with their code.</summary>
    public object? Read(object source)
    {
        try
        {
            return read(source);
        }
        catch (CrmException e)
        {
            throw Resolve.ToExecutionError(e);
        }
    }

    public ValueTask<object?> ResolveAsync(IResolveFieldContext context) => new(Read(context.Source!));
}
