using System.Diagnostics;

namespace CrmEngine.Engine.Diagnostics;

/// <summary>
/// The correlation id of the work in progress: what ties an error a client saw to the server's log
/// lines. The host sets it for each request (the caller's X-Correlation-Id, else the request's trace
/// id, which continues an incoming traceparent); work outside a request has the current trace id,
/// when there is one. It flows with the async context, like <see cref="Activity.Current"/>.
/// </summary>
public static class Correlation
{
    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>The id set for this flow, else the current trace id, else null.</summary>
    public static string? Current => Ambient.Value ?? TraceId(Activity.Current);

    /// <summary>The current id, or a new one of the trace id's shape when there is none.</summary>
    public static string CurrentOrNew() => Current ?? ActivityTraceId.CreateRandom().ToHexString();

    /// <summary>Sets the id for this flow (and the tasks it starts) until the returned scope ends.</summary>
    public static Scope Begin(string id)
    {
        var previous = Ambient.Value;
        Ambient.Value = id;
        return new Scope(previous);
    }

    /// <summary>The trace id of <paramref name="activity"/>, as 32 hex digits; null without one.</summary>
    public static string? TraceId(Activity? activity) =>
        activity is not null && activity.TraceId != default ? activity.TraceId.ToHexString() : null;

    /// <summary>Restores the id that was current before <see cref="Begin"/>.</summary>
    public readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
