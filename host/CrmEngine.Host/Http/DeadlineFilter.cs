using CrmEngine.Engine.Errors;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Runs the rest of a GraphQL request under its deadline (<see cref="EndpointLimits.ExecutionTimeout"/>).
/// A deadline that passes outside execution (opening the tenant, writing the answer) is answered
/// with 504 while nothing has been sent, and ends the connection once the answer has started.
/// </summary>
public sealed class DeadlineFilter(IOptions<EndpointLimits> limits, ILogger<DeadlineFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = GraphQLRequestFeature.Of(http);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(limits.Value.ExecutionTimeout);
        request.Deadline = deadline;
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("A request ran past {Timeout} and was stopped.", limits.Value.ExecutionTimeout);
            if (http.Response.HasStarted)
            {
                http.Abort();
                return null;
            }

            http.Response.Clear();
            await GraphQLHttpHandler.WriteErrorAsync(http, StatusCodes.Status504GatewayTimeout, request.MediaType, ErrorCodes.Timeout,
                $"The request took longer than {limits.Value.ExecutionTimeout.TotalSeconds:0.#} s and was stopped.");
            return null;
        }
    }
}
