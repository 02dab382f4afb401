using CrmEngine.Plugins.Marketing.Common;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>
/// Reads a filter written in the engine's filter language, as a GraphQL <c>filter</c> argument takes
/// it but in JSON (<c>{"industry": {"eq": "retail"}, "lastOrderOn": {"relative": {"period":
/// "LAST_N_DAYS", "days": 365}}, "account": {"tags": {"has": "vip"}}}</c>), into the SDK's
/// <see cref="Condition"/>: field operators, a lookup's record's fields (Through), and <c>and</c>,
/// <c>or</c>, <c>not</c>. The engine then checks fields and operators when the segment is queried,
/// exactly as it checks a GraphQL filter. The reader is the SDK's <see cref="ConditionJson"/>, which
/// the sales analytics share.
/// </summary>
internal static class FilterJson
{
    /// <summary>The segment's filter (JSON, the engine's filter language) as a condition; a malformed one is refused with INVALID_INPUT on <c>filter</c>.</summary>
    public static Condition? Parse(string? json) => ConditionJson.Parse(json, MarketingErrors.InvalidInput, "filter");
}
