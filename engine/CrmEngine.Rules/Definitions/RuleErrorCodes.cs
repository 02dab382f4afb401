using CrmEngine.Engine.Errors;

namespace CrmEngine.Rules.Definitions;

/// <summary>The error codes rules add (defined with the engine's, in <see cref="ErrorCodes"/>).</summary>
public static class RuleErrorCodes
{
    /// <summary>A rule's script threw or could not run; the message is the script's.</summary>
    public const string RuleError = ErrorCodes.RuleError;

    /// <summary>A rule went past one of its sandbox limits; the message names the rule and the limit.</summary>
    public const string LimitExceeded = ErrorCodes.RuleLimitExceeded;

    /// <summary>A script or condition does not parse; the message gives line and column.</summary>
    public const string SyntaxError = ErrorCodes.ScriptSyntaxError;
}
