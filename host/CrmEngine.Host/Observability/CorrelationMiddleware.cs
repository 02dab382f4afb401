using System.Collections;
using System.Diagnostics;
using CrmEngine.Engine.Diagnostics;

namespace CrmEngine.Host.Observability;

/// <summary>
/// Gives every request one correlation id: the caller's <c>X-Correlation-Id</c> when it is a sane
/// token, else the request's trace id (which continues an incoming <c>traceparent</c>). The id is
/// answered in the X-Correlation-Id header, is in the scope of every log line written for the request,
/// and is what errors carry as <c>extensions.correlationId</c> (<see cref="Correlation"/>).
/// </summary>
internal sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public const string Header = "X-Correlation-Id";
    private const int MaxLength = 64;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = Activity.Current;
        var id = FromCaller(http.Request.Headers[Header]) ?? Correlation.TraceId(request) ?? ActivityTraceId.CreateRandom().ToHexString();
        if (request is { IsAllDataRequested: true } && id != Correlation.TraceId(request))
        {
            // Traces are found by the caller's id too.
            request.SetTag("crm.correlation_id", id);
        }

        http.Response.Headers[Header] = id;
        using var correlation = Correlation.Begin(id);
        using var scope = logger.BeginScope(new CorrelationScope(id));
        await next(http);
    }

    /// <summary>The caller's id when it is one token of letters, digits and <c>-_.:</c> (it goes into logs and headers as is); null otherwise.</summary>
    private static string? FromCaller(string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? value : null;

    /// <summary>The log scope: one property, CorrelationId, which JSON logs and scope-aware providers show on every line.</summary>
    private sealed class CorrelationScope(string id) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new("CorrelationId", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "CorrelationId:" + id;
    }
}
