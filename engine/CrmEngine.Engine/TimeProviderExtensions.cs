namespace CrmEngine.Engine;

/// <summary>
/// The engine's notion of now, read from the <see cref="TimeProvider"/> the services are given
/// (<see cref="TimeProvider.System"/> in production, a fake one in tests that make time pass).
/// </summary>
public static class TimeProviderExtensions
{
    /// <summary>
    /// Now in UTC, to the microsecond, because that is what every store keeps (PostgreSQL
    /// timestamps hold microseconds), so a value reads back exactly as it was written.
    /// </summary>
    public static DateTime UtcNow(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
