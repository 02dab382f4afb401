using Cronos;

namespace CrmEngine.Rules.Definitions;

/// <summary>Cron expressions of scheduled rules (Cronos): five fields, or six with seconds, read in the rule's time zone.</summary>
public static class RuleSchedule
{
    public static bool TryParse(string? expression, out CronExpression? cron)
    {
        cron = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.TryParse(expression.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out cron);
    }

    public static bool TryTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC), or null for rules without a usable schedule.</summary>
    public static DateTime? Next(RuleDefinition rule, DateTime after)
    {
        if (!rule.Triggers.Contains(RuleTrigger.Schedule) || !TryParse(rule.Schedule, out var cron) || !TryTimeZone(rule.TimeZone, out var zone))
        {
            return null;
        }

        return cron!.GetNextOccurrence(DateTime.SpecifyKind(after, DateTimeKind.Utc), zone);
    }
}
