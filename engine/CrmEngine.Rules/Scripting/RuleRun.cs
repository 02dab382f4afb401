using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using Jint;
using Acornima.Ast;

namespace CrmEngine.Rules.Scripting;

/// <summary>A rule ready to run: its definition and the prepared programs.</summary>
internal sealed record CompiledRule(Guid? Id, long Version, RuleDefinition Definition, Prepared<Script> Script, Prepared<Script>? Condition)
{
    public string Name => Definition.Name;
}

/// <summary>
/// One run to make: which rule, why, on which record, as whom. <see cref="Session"/> is the
/// triggering caller's (its principal is what scripts see as <c>user</c>); the script's own reads
/// and writes use the tenant's system identity.
/// </summary>
internal sealed record RuleRunRequest(CompiledRule Rule, RuleTrigger Trigger, CrmSession Session, EntityDefinition Entity, RecordSnapshot Record, RuleLimits Limits, bool DryRun);

/// <summary>How a run ended.</summary>
public enum RuleRunOutcome
{
    /// <summary>The condition was false; the script did not run. Not written to the run log.</summary>
    Skipped,
    Succeeded,

    /// <summary>The script called crm.reject.</summary>
    Rejected,

    /// <summary>The script threw, or something it asked for was refused.</summary>
    Failed,

    /// <summary>The run went past one of its limits and was stopped.</summary>
    LimitExceeded,
}

/// <summary>Something a run did besides changing its record: a write through crm.*, or a notification.</summary>
public sealed record RuleEffect(string Kind, string Entity, Guid? RecordId, IReadOnlyDictionary<string, object?>? Values, Guid? UserId = null, string? Message = null);

/// <summary>What a run did and how it ended.</summary>
internal sealed record RuleRunResult(
    RuleRunOutcome Outcome,
    CrmError? Error,
    IReadOnlyList<CrmError> Rejections,
    IReadOnlyList<FieldChange> Changes,
    IReadOnlyList<RuleEffect> Effects,
    IReadOnlyList<string> Logs,
    TimeSpan Duration,
    long Statements)
{
    /// <summary>The errors that stop the write this run was part of.</summary>
    public IReadOnlyList<CrmError> Errors => Error is { } error ? [error] : Rejections;
}
