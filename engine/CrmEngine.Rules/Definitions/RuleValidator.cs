using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Rules.Scripting;

namespace CrmEngine.Rules.Definitions;

/// <summary>Checks a rule before it is saved: names, entity, triggers, schedule, filter, and that script and condition parse.</summary>
internal static partial class RuleValidator
{
    public const int MaxScriptLength = 100_000;
    public const int MaxConditionLength = 10_000;
    public const int MaxDescriptionLength = 2_000;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static (IReadOnlyList<CrmError> Errors, ScriptSyntaxError? Syntax) Validate(RuleDefinition rule, CrmSession session, RuleCompiler compiler, DateTime now)
    {
        var metadata = session.Metadata;
        var errors = new List<CrmError>();
        if (!NamePattern().IsMatch(rule.Name))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidName, "A rule name starts with a letter and has up to 100 letters, digits, '_' or '-'.", "name"));
        }

        var entity = metadata.Find(rule.Entity);
        if (entity is null)
        {
            errors.Add(new CrmError(ErrorCodes.UnknownEntity, $"There is no entity named '{rule.Entity}'.", "entity"));
        }

        if (rule.Triggers.Count == 0 || rule.Triggers.Distinct().Count() != rule.Triggers.Count)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, "Give one or more different triggers.", "triggers"));
        }

        var scheduled = rule.Triggers.Contains(RuleTrigger.Schedule);
        if (scheduled && !RuleSchedule.TryParse(rule.Schedule, out _))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, $"'{rule.Schedule}' is not a cron expression; use five fields (minute hour day month weekday) such as '0 2 * * *', or six with seconds.", "schedule"));
        }

        if (!scheduled && (rule.Schedule is not null || rule.Filter is not null))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, "A schedule and a filter belong to rules with the SCHEDULE trigger.", rule.Schedule is not null ? "schedule" : "filter"));
        }

        if (!RuleSchedule.TryTimeZone(rule.TimeZone, out _))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, $"'{rule.TimeZone}' is not a time zone; use an IANA name such as 'Asia/Shanghai'.", "timeZone"));
        }

        if (entity is not null && rule.Filter is not null)
        {
            errors.AddRange(RuleFilterReader.Check(session, entity, rule.Filter, now));
        }

        if (string.IsNullOrWhiteSpace(rule.Script))
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A rule needs a script.", "script"));
        }

        Length(errors, rule.Script, MaxScriptLength, "script");
        Length(errors, rule.Condition, MaxConditionLength, "condition");
        Length(errors, rule.Description, MaxDescriptionLength, "description");
        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var syntax = compiler.Check(rule.Script, rule.Condition);
        if (syntax is not null)
        {
            errors.Add(new CrmError(RuleErrorCodes.SyntaxError, syntax.Message, syntax.Part));
        }

        return (errors, syntax);
    }

    /// <summary>The stored filter as the CLR tree crm.find takes (dictionaries, lists, strings, numbers).</summary>
    public static object? ParseFilter(string? json) => RuleFilterReader.Parse(json);

    private static void Length(List<CrmError> errors, string? text, int max, string field)
    {
        if (text is { Length: var length } && length > max)
        {
            errors.Add(new CrmError(ErrorCodes.TooLong, $"The {field} is {length:N0} characters; at most {max:N0} are allowed.", field));
        }
    }
}
