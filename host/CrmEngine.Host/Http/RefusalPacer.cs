using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Http;

/// <summary>
/// Holds a 429 for a moment before sending it (at most <see cref="EndpointLimits.RefusalDelay"/>, never
/// longer than its Retry-After). A refused caller that retries at once would otherwise have the host
/// spend its cores on refusals, thousands a second from a few connections, at the expense of every
/// other key; held, each of its connections costs one refusal per delay and no CPU while it waits. A
/// well-behaved client waits for Retry-After anyway. At most <see cref="EndpointLimits.MaxHeldRefusals"/>
/// are held at once, so holding can't pile up connections without bound; beyond it, refusals go out at once.
/// </summary>
public sealed class RefusalPacer(IOptions<EndpointLimits> options, TimeProvider time)
{
    private int _held;

    public async Task HoldAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var delay = retryAfter < limits.RefusalDelay ? retryAfter : limits.RefusalDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            if (Interlocked.Increment(ref _held) <= limits.MaxHeldRefusals)
            {
                await Task.Delay(delay, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The caller went away: nothing to hold for.
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }
}
