using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Execution.Guard;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;

namespace CrmEngine.GraphQL.Execution;

/// <summary>A GraphQL request: the document text, operation name and variables, and the document once parsed.</summary>
public sealed record CrmGraphQLRequest(string Query, string? OperationName, Inputs? Variables, Inputs? Extensions)
{
    /// <summary>The parsed document, when the transport parsed it already.</summary>
    public GraphQLDocument? Document { get; init; }

    /// <summary>Why the text did not parse, when the transport tried.</summary>
    public ExecutionError? ParseError { get; init; }

    /// <summary>
    /// The counts the transport took from the text before making it a string (<see cref="DocumentGuard.CheckJsonText"/>),
    /// when it did; a refused one comes with an empty <see cref="Query"/>.
    /// </summary>
    public GuardVerdict<int>? Census { get; init; }

    /// <summary>The operation that would run, when the document parses and names one unambiguously.</summary>
    public OperationType? Operation { get; init; }

    /// <summary>A request whose document is parsed now (a GET must know its operation before it runs).</summary>
    public static CrmGraphQLRequest Parse(string query, string? operationName, Inputs? variables, Inputs? extensions)
    {
        var (document, error) = DocumentParsing.Parse(query);
        var operations = document?.Definitions.OfType<GraphQLOperationDefinition>().ToList() ?? [];
        var chosen = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.Value == operationName);
        return new CrmGraphQLRequest(query, operationName, variables, extensions) { Document = document, ParseError = error, Operation = chosen?.Operation };
    }
}

/// <summary>
/// Runs a request against the caller's tenant schema, in two steps so a transport can admit the
/// work in between: <see cref="Prepare"/> parses and guards the document (linear, bounded work) and
/// says what running it involves; <see cref="ExecuteAsync(PreparedRequest, string?, IServiceProvider, CancellationToken)"/>
/// validates and runs it. Engine refusals surface as typed errors; anything unexpected is logged in
/// full and reaches the client only as INTERNAL_ERROR.
/// </summary>
public sealed class CrmGraphQLExecutor(
    IDocumentExecuter executer,
    TenantSchemaCache schemas,
    ValidatedDocumentCache documents,
    DocumentGuard guard,
    RecordReader reader,
    ILogger<CrmGraphQLExecutor> logger,
    CrmMetrics metrics)
{
    /// <summary>Parses (unless the text was validated before) and guards the request; a refusal means nothing ran.</summary>
    public PreparedRequest Prepare(CrmSession session, CrmGraphQLRequest request)
    {
        var schema = schemas.Get(session);
        var cached = documents.Find(schema, request.Query);
        var document = cached ?? request.Document;
        var shape = default(DocumentShape);
        if (cached is null)
        {
            // Counted from the text first: a document over a limit is refused without being parsed.
            var written = request.Census ?? guard.CheckText(request.Query);
            if (written.Refusal is not null)
            {
                return PreparedRequest.Refused(session, request, written.Refusal);
            }

            if (document is null)
            {
                var (parsed, syntax) = request.ParseError is null ? DocumentParsing.Parse(request.Query) : (null, request.ParseError);
                if (syntax is not null)
                {
                    return PreparedRequest.Refused(session, request, syntax);
                }

                document = parsed;
            }

            // Validation's cost depends on the document's shape alone: a cached document passed this once.
            var verdict = guard.CheckShape(document!, written.Value);
            if (verdict.Refusal is not null)
            {
                return PreparedRequest.Refused(session, request, verdict.Refusal);
            }

            shape = verdict.Value;
        }

        // Runs on cached documents too: a page size can come from the variables.
        var cost = guard.CheckCost(schema, document!, request.Variables);
        return cost.Refusal is not null
            ? PreparedRequest.Refused(session, request, cost.Refusal)
            : new PreparedRequest(session, request, schema, document!, cached is not null, shape, cost.Value, null);
    }

    /// <summary>Whether this text was validated before against the caller's schema: running it again skips parsing and most validation.</summary>
    public bool IsKnown(CrmSession session, string query) => documents.Find(schemas.Get(session), query) is not null;

    /// <summary>Prepares and runs a request in one go (for callers that admit work some other way).</summary>
    public Task<ExecutionResult> ExecuteAsync(CrmSession session, CrmGraphQLRequest request, string? locale, IServiceProvider services, CancellationToken cancellationToken) =>
        ExecuteAsync(Prepare(session, request), locale, services, cancellationToken);

    /// <summary>
    /// Validates and runs a prepared request in its span (<c>crm.graphql</c>, with the operation's type
    /// and name as OpenTelemetry's GraphQL conventions name them) and counts it by type and outcome.
    /// </summary>
    public async Task<ExecutionResult> ExecuteAsync(PreparedRequest prepared, string? locale, IServiceProvider services, CancellationToken cancellationToken)
    {
        using var activity = CrmTelemetry.Source.StartActivity("crm.graphql");
        var result = await ExecuteCoreAsync(prepared, locale, services, cancellationToken);
        var type = (result.Operation?.Operation ?? prepared.Request.Operation) switch
        {
            OperationType.Mutation => "mutation",
            OperationType.Query => "query",
            OperationType.Subscription => "subscription",
            _ => "unknown",
        };
        var outcome = !result.Executed ? "refused" : result.Errors is { Count: > 0 } ? "error" : "ok";
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(CrmTelemetry.TenantTag, prepared.Session.TenantId);
            activity.SetTag("graphql.operation.type", type);
            activity.SetTag("graphql.operation.name", result.Operation?.Name?.StringValue);
            activity.SetTag(CrmTelemetry.OutcomeTag, outcome);
            if (result.Errors is { Count: > 0 } errors)
            {
                activity.SetTag(CrmTelemetry.ErrorCodeTag, errors[0].Code);
            }
        }

        if (metrics.Requests.Enabled)
        {
            metrics.Requests.Add(1, new KeyValuePair<string, object?>("graphql.operation.type", type), new KeyValuePair<string, object?>(CrmTelemetry.OutcomeTag, outcome));
        }

        return result;
    }

    private async Task<ExecutionResult> ExecuteCoreAsync(PreparedRequest prepared, string? locale, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (prepared.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (session, request, schema) = (prepared.Session, prepared.Request, prepared.Schema!);
        var options = new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            Document = prepared.Document,
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
        if (prepared.Cached)
        {
            // Validated when it was cached; only the rules meant for cached documents run again.
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
        }

        var result = await executer.ExecuteAsync(options);
        if (DocumentParsing.IsUnlocated(prepared.Document!))
        {
            // Positions of a long document were not kept: a location graphql-dotnet gave would be the first character's.
            foreach (var error in result.Errors ?? [])
            {
                error.Locations?.Clear();
            }
        }

        if (!prepared.Cached && result.Executed && result.Document is { } executed)
        {
            documents.Add(schema, request.Query, executed);
        }

        return result;
    }

    /// <summary>A request error: nothing ran.</summary>
    private static ExecutionResult Refused(ExecutionError error) => new() { Errors = new ExecutionErrors { error }, Executed = false };
}

/// <summary>
/// A request parsed and guarded, ready to validate and run, with what running it involves; or the
/// refusal that ends it.
/// </summary>
public sealed record PreparedRequest(
    CrmSession Session,
    CrmGraphQLRequest Request,
    ISchema? Schema,
    GraphQLDocument? Document,
    bool Cached,
    DocumentShape Shape,
    long Complexity,
    ExecutionError? Refusal)
{
    public static PreparedRequest Refused(CrmSession session, CrmGraphQLRequest request, ExecutionError refusal) =>
        new(session, request, null, null, false, default, 0, refusal);
}
