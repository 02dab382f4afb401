using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Schema;
using GraphQL;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.GraphQL.Execution;

/// <summary>A parsed GraphQL request: the document (when it parsed), operation name and variables.</summary>
public sealed record CrmGraphQLRequest(string Query, string? OperationName, Inputs? Variables, Inputs? Extensions)
{
    /// <summary>The parsed document, or null when the query does not parse (execution then reports why).</summary>
    public GraphQLDocument? Document { get; init; }

    /// <summary>The operation that would run, when the document parses and names one unambiguously.</summary>
    public OperationType? Operation { get; init; }

    public static CrmGraphQLRequest Parse(string query, string? operationName, Inputs? variables, Inputs? extensions)
    {
        GraphQLDocument? document = null;
        OperationType? operation = null;
        try
        {
            document = GraphQLParser.Parser.Parse(query);
            var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
            var chosen = operationName is null
                ? operations.Count == 1 ? operations[0] : null
                : operations.FirstOrDefault(o => o.Name?.Value == operationName);
            operation = chosen?.Operation;
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException)
        {
            // The executor reports syntax errors in the standard shape, and over-deep nesting as QUERY_TOO_DEEP.
        }

        return new CrmGraphQLRequest(query, operationName, variables, extensions) { Document = document, Operation = operation };
    }
}

/// <summary>
/// Runs a request against the caller's tenant schema. Engine refusals surface as typed errors;
/// anything unexpected is logged in full and reaches the client only as INTERNAL_ERROR.
/// </summary>
public sealed class CrmGraphQLExecutor(
    IDocumentExecuter executer,
    TenantSchemaCache schemas,
    ValidatedDocumentCache documents,
    DocumentGuard guard,
    IOptions<QueryLimits> limits,
    RecordReader reader,
    ILogger<CrmGraphQLExecutor> logger)
{
    public async Task<ExecutionResult> ExecuteAsync(CrmSession session, CrmGraphQLRequest request, string? locale, IServiceProvider services, CancellationToken cancellationToken)
    {
        var schema = schemas.Get(session);
        var cached = documents.Find(schema, request.Query);
        var document = cached ?? request.Document;
        if (document is null)
        {
            try
            {
                document = GraphQLParser.Parser.Parse(request.Query);
            }
            catch (GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
            {
                return Refused(new ExecutionError($"The query nests deeper than the parser allows, far past the {limits.Value.MaxDepth} levels of fields one request may use.") { Code = ErrorCodes.QueryTooDeep });
            }
            catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException)
            {
                // Left to the executer, which reports it in the standard shape.
            }
        }

        // Runs on cached documents too: a page size can come from the variables.
        if (document is not null && guard.Check(schema, document, request.Variables) is { } refusal)
        {
            return Refused(refusal);
        }

        var options = new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            Document = document,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            UserContext = new CrmUserContext(session, locale, new RecordLoader(reader, session)),
            RequestServices = services,
            CancellationToken = cancellationToken,
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = context =>
            {
                if (context.OriginalException is CrmException crm)
                {
                    context.Exception = Resolve.ToExecutionError(crm);
                    return Task.CompletedTask;
                }

                logger.LogError(context.OriginalException, "Unhandled error in tenant {Tenant} while resolving {Field}.", session.TenantId, context.FieldContext?.FieldDefinition.Name);
                context.Exception = new ExecutionError("An internal error occurred; it has been logged.") { Code = ErrorCodes.InternalError };
                return Task.CompletedTask;
            },
        };
        if (cached is not null)
        {
            // Validated when it was cached; only the rules meant for cached documents run again.
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
        }

        var result = await executer.ExecuteAsync(options);
        if (cached is null && result.Executed && result.Document is { } executed)
        {
            documents.Add(schema, request.Query, executed);
        }

        return result;
    }

    /// <summary>A request error: nothing ran.</summary>
    private static ExecutionResult Refused(ExecutionError error) => new() { Errors = new ExecutionErrors { error }, Executed = false };
}
