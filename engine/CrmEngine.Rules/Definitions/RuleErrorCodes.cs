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

    /// <summary>A run was not started: its tenant's rules were already running at their limit on this host (or the host's rule threads were all busy) for longer than a run may wait. Nothing was changed.</summary>
    public const string Busy = ErrorCodes.RulesBusy;
}
