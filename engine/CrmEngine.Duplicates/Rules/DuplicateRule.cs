using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmEngine.Duplicates.Matching;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;

namespace CrmEngine.Duplicates.Rules;

/// <summary>What a rule does on a create or on an update that matches it.</summary>
public enum RuleAction
{
    /// <summary>Let the write through and report the matches (acknowledged with allowDuplicates).</summary>
    Warn,

    /// <summary>Refuse the write with DUPLICATE_RECORD.</summary>
    Block,

    /// <summary>Don't check this kind of write.</summary>
    None,
}

/// <summary>One condition of a rule: a field and how it is compared. <paramref name="Country"/>: for PHONE, the country national numbers are read in (ISO code; the host's default when null).</summary>
public sealed record RuleCondition(string Field, Matcher Matcher, string? Country = null);

/// <summary>
/// A duplicate rule, ready to check: records match when every condition's match key is the same
/// (conditions are combined with AND). The rule's key for a record is the conditions' keys joined;
/// a record missing any of them has none and matches nothing.
/// </summary>
public sealed class DuplicateRule
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Keys longer than this are stored as their SHA-256, so the index stays small.</summary>
    private const int MaxKeyLength = 256;

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Entity { get; init; }

    public required bool Active { get; init; }

    public required RuleAction OnCreate { get; init; }

    public required RuleAction OnUpdate { get; init; }

    public required IReadOnlyList<RuleCondition> Conditions { get; init; }

    public required bool KeysReady { get; init; }

    /// <summary>The calling codes of the conditions' countries, by condition.</summary>
    private string[] CallingCodes { get; init; } = [];

    public static DuplicateRule From(DuplicateRuleRow row, string defaultCountry)
    {
        var conditions = ReadConditions(row.Conditions);
        return new DuplicateRule
        {
            Id = row.Id,
            Name = row.Name,
            Entity = row.Entity,
            Active = row.Active,
            OnCreate = Enum.Parse<RuleAction>(row.OnCreate),
            OnUpdate = Enum.Parse<RuleAction>(row.OnUpdate),
            Conditions = conditions,
            KeysReady = row.KeysReady,
            CallingCodes = conditions.Select(c => PhoneNumbers.CallingCodes.GetValueOrDefault(c.Country ?? defaultCountry) ?? PhoneNumbers.CallingCodes["CN"]).ToArray(),
        };
    }

    public static IReadOnlyList<RuleCondition> ReadConditions(string json) => JsonSerializer.Deserialize<List<RuleCondition>>(json, Json) ?? [];

    public static string WriteConditions(IReadOnlyList<RuleCondition> conditions) => JsonSerializer.Serialize(conditions, Json);

    /// <summary>What the rule does to <paramref name="operation"/>, when active.</summary>
    public RuleAction ActionOn(RecordOperation operation) => !Active ? RuleAction.None : operation switch
    {
        RecordOperation.Create => OnCreate,
        RecordOperation.Update => OnUpdate,
        _ => RuleAction.None,
    };

    /// <summary>The record's key under this rule, from its fields' API values; null when it has none.</summary>
    public string? KeyOf(Func<string, object?> value)
    {
        string? single = null;
        StringBuilder? joined = null;
        for (var i = 0; i < Conditions.Count; i++)
        {
            var condition = Conditions[i];
            var part = MatcherFields.Key(condition.Matcher, Text(value(condition.Field)), CallingCodes[i]);
            if (part is null)
            {
                return null;
            }

            if (i == 0)
            {
                single = part;
            }
            else
            {
                joined ??= new StringBuilder(single);
                joined.Append('\u001f').Append(part);
            }
        }

        var key = joined?.ToString() ?? single;
        return key is { Length: > MaxKeyLength } ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) : key;
    }

    /// <summary>The record's key from a stored row, read through the entity's fields.</summary>
    public string? KeyOf(RecordData record) => KeyOf(record.Get);

    /// <summary>Whether the write changes a field this rule compares.</summary>
    public bool Reads(RecordChange change)
    {
        foreach (var condition in Conditions)
        {
            if (change.Changes(condition.Field))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
