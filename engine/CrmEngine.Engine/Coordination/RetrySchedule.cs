namespace CrmEngine.Engine.Coordination;

/// <summary>When a failed delivery (a webhook, a message) is tried again: exponential back-off with jitter.</summary>
public static class RetrySchedule
{
    /// <summary>
    /// The wait after the <paramref name="attempts"/>th failed attempt: <paramref name="first"/>, twice
    /// that, four times ..., capped at <paramref name="max"/>, each then drawn between half and all of
    /// itself so endpoints that failed together are not all tried again in the same instant.
    /// </summary>
    public static TimeSpan Delay(int attempts, TimeSpan first, TimeSpan max, double random)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (0.5 * random)));
    }
}
