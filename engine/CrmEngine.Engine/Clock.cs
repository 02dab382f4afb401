namespace CrmEngine.Engine;

/// <summary>
/// The engine's notion of now: UTC, to the microsecond, because that is what every store keeps
/// (PostgreSQL timestamps hold microseconds), so a value reads back exactly as it was written.
/// </summary>
public static class Clock
{
    public static DateTime UtcNow()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
