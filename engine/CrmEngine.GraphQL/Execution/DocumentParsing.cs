using CrmEngine.Engine.Errors;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Parses GraphQL text into a document or the request error to answer with. Every parser failure
/// becomes a request error here, including the parser's own faults on some malformed input (it has
/// thrown IndexOutOfRangeException while building a message), so graphql-dotnet never parses a
/// text itself and no malformed document reaches a client as a 500.
/// </summary>
public static class DocumentParsing
{
    public static (GraphQLDocument? Document, ExecutionError? Error) Parse(string query)
    {
        try
        {
            return (GraphQLParser.Parser.Parse(query), null);
        }
        catch (GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
        {
            return (null, new ExecutionError("The query nests deeper than the parser allows, far past the levels of fields one request may use.") { Code = ErrorCodes.QueryTooDeep });
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            return (null, new SyntaxError(e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any other fault of the parser is still malformed input, not a server error.
            return (null, new ExecutionError("The document is not valid GraphQL: the parser could not read it.") { Code = ErrorCodes.SyntaxError });
        }
    }
}
