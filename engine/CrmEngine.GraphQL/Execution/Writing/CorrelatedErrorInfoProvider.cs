using CrmEngine.Engine.Diagnostics;
using GraphQL;
using GraphQL.Execution;

namespace CrmEngine.GraphQL.Execution.Writing;

/// <summary>
/// Writes every GraphQL error as graphql-dotnet does (message, <c>extensions.code</c>) plus
/// <c>extensions.correlationId</c>: the id under which the server logged the request, also in the
/// X-Correlation-Id response header, so a client's report of an error leads to its log lines.
/// </summary>
public sealed class CorrelatedErrorInfoProvider : ErrorInfoProvider
{
    public const string Key = "correlationId";

    /// <inheritdoc/>
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (Correlation.Current is { } id)
        {
            var extensions = info.Extensions ?? new Dictionary<string, object?>();
            extensions[Key] = id;
            info.Extensions = extensions;
        }

        return info;
    }
}
