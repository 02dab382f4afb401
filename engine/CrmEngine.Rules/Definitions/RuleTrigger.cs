using CrmEngine.Engine.Records;

namespace CrmEngine.Rules.Definitions;

/// <summary>What makes a rule run.</summary>
public enum RuleTrigger
{
    BeforeCreate,
    BeforeUpdate,
    BeforeDelete,
    AfterCreate,
    AfterUpdate,
    AfterDelete,
    Schedule,
    Manual,
}

/// <summary>Names and groupings of triggers.</summary>
public static class RuleTriggers
{
    /// <summary>The name stored and shown to scripts ("beforeCreate").</summary>
    public static string Name(this RuleTrigger trigger) => trigger switch
    {
        RuleTrigger.BeforeCreate => "beforeCreate",
        RuleTrigger.BeforeUpdate => "beforeUpdate",
        RuleTrigger.BeforeDelete => "beforeDelete",
        RuleTrigger.AfterCreate => "afterCreate",
        RuleTrigger.AfterUpdate => "afterUpdate",
        RuleTrigger.AfterDelete => "afterDelete",
        RuleTrigger.Schedule => "schedule",
        _ => "manual",
    };

    public static bool TryParse(string? name, out RuleTrigger trigger)
    {
        foreach (var candidate in Enum.GetValues<RuleTrigger>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.Ordinal))
            {
                trigger = candidate;
                return true;
            }
        }

        trigger = default;
        return false;
    }

    public static bool IsBefore(this RuleTrigger trigger) => trigger is RuleTrigger.BeforeCreate or RuleTrigger.BeforeUpdate or RuleTrigger.BeforeDelete;

    public static bool IsAfter(this RuleTrigger trigger) => trigger is RuleTrigger.AfterCreate or RuleTrigger.AfterUpdate or RuleTrigger.AfterDelete;

    /// <summary>The before-trigger for a write, or null for writes rules don't see (restore).</summary>
    public static RuleTrigger? Before(RecordOperation operation) => operation switch
    {
        RecordOperation.Create => RuleTrigger.BeforeCreate,
        RecordOperation.Update => RuleTrigger.BeforeUpdate,
        RecordOperation.Delete => RuleTrigger.BeforeDelete,
        _ => null,
    };

    public static RuleTrigger? After(RecordOperation operation) => operation switch
    {
        RecordOperation.Create => RuleTrigger.AfterCreate,
        RecordOperation.Update => RuleTrigger.AfterUpdate,
        RecordOperation.Delete => RuleTrigger.AfterDelete,
        _ => null,
    };

    public static string Join(IEnumerable<RuleTrigger> triggers) => string.Join(',', triggers.Select(Name));

    public static IReadOnlyList<RuleTrigger> Split(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => TryParse(n, out var t) ? t : (RuleTrigger?)null).OfType<RuleTrigger>().ToList();
}
