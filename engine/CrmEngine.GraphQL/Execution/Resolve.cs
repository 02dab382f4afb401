using CrmEngine.Engine.Errors;
using GraphQL;
using GraphQL.Resolvers;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Resolver factories that turn the engine's typed refusals into GraphQL errors with an
/// <c>extensions.code</c>, instead of the generic "error trying to resolve" an exception would give.
/// </summary>
public static class Resolve
{
    public static IFieldResolver Async(Func<IResolveFieldContext, CrmUserContext, Task<object?>> resolver) =>
        new FuncFieldResolver<object?>(async context =>
        {
            try
            {
                return await resolver(context, (CrmUserContext)context.UserContext);
            }
            catch (CrmException e)
            {
                throw ToExecutionError(e);
            }
        });

    public static IFieldResolver Sync(Func<IResolveFieldContext, object?> resolver) =>
        new FuncFieldResolver<object?>(context =>
        {
            try
            {
                return resolver(context);
            }
            catch (CrmException e)
            {
                throw ToExecutionError(e);
            }
        });

    /// <summary>
    /// A resolver that reads only its parent's value: the execution strategy calls it directly,
    /// without a field context (most fields of a page of records are of this kind).
    /// </summary>
    public static IFieldResolver FromSource(Func<object, object?> read) => new SourceResolver(read);

    public static ExecutionError ToExecutionError(CrmException exception)
    {
        var error = exception.Errors[0];
        var result = new ExecutionError(error.Message) { Code = error.Code };
        if (error.Field is not null)
        {
            result.Data["field"] = error.Field;
        }

        return result;
    }

    public static CrmUserContext Crm(this IResolveFieldContext context) => (CrmUserContext)context.UserContext;
}
