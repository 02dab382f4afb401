using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Logging;
using CrmEngine.Rules.Scripting;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Execution;

/// <summary>
/// What to dry-run: a saved rule (<see cref="RuleId"/>) or a script, against a stored record
/// (<see cref="RecordId"/>) or a new one (<see cref="Record"/>), optionally as a write of
/// <see cref="Changes"/>, as if <see cref="Trigger"/> had fired.
/// </summary>
public sealed record RuleTestRequest
{
    public Guid? RuleId { get; init; }

    public string? Entity { get; init; }

    public string? Script { get; init; }

    public string? Condition { get; init; }

    public RuleTrigger? Trigger { get; init; }

    public Guid? RecordId { get; init; }

    public IReadOnlyDictionary<string, object?>? Record { get; init; }

    public IReadOnlyDictionary<string, object?>? Changes { get; init; }
}

/// <summary>What a dry run would have done.</summary>
public sealed record RuleTestResult(
    bool ConditionMet,
    RuleRunOutcome Outcome,
    CrmError? Error,
    IReadOnlyList<CrmError> Rejections,
    IReadOnlyList<FieldChange> Changes,
    IReadOnlyList<RuleEffect> Effects,
    IReadOnlyList<string> Logs,
    TimeSpan Duration,
    long Statements);

/// <summary>
/// testRule: runs a rule for real against a real record, inside a transaction that is always rolled
/// back, and reports what it would have changed. Its reads see the tenant's data; its writes (and the
/// writes of rules they trigger) happen, so it sees their results, and are then undone; nothing it
/// causes is logged or sent.
/// </summary>
public sealed class RuleTester
{
    private readonly RuleService _rules;
    private readonly RuleSetCache _cache;
    private readonly RuleCompiler _compiler;
    private readonly RuleExecution _execution;
    private readonly RuleServices _services;
    private readonly IOptions<RuleOptions> _options;
    private readonly IOptions<CrmEngineOptions> _engineOptions;

    internal RuleTester(RuleService rules, RuleSetCache cache, RuleCompiler compiler, RuleExecution execution, RuleServices services, IOptions<RuleOptions> options, IOptions<CrmEngineOptions> engineOptions)
    {
        _rules = rules;
        _cache = cache;
        _compiler = compiler;
        _execution = execution;
        _services = services;
        _options = options;
        _engineOptions = engineOptions;
    }

    /// <summary>The result, or a syntax error in the script or condition; refusals of the request itself are thrown as <see cref="CrmException"/>.</summary>
    public async Task<(RuleTestResult? Result, ScriptSyntaxError? Syntax)> TestAsync(CrmSession session, RuleTestRequest request, CancellationToken cancellationToken)
    {
        RuleService.RequireAdmin(session);
        var (rule, syntax) = await ResolveAsync(session, request, cancellationToken);
        if (rule is null)
        {
            return (null, syntax);
        }

        var entity = session.Metadata.Find(rule.Definition.Entity) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{rule.Definition.Entity}'.", "entity");
        var trigger = request.Trigger ?? (rule.Definition.Triggers.Count > 0 ? rule.Definition.Triggers[0] : request.RecordId is null ? RuleTrigger.BeforeCreate : RuleTrigger.BeforeUpdate);
        RuleTestResult? result = null;
        // Suppressed for this flow only: rules that the dry run's writes trigger are not logged either.
        RunLog.Suppress();
        await WriteScope.RunAtDepthAsync(0, async () =>
        {
            await using var scope = await WriteScope.BeginAsync(session, entity.Name, null, _engineOptions.Value.MaxCascadeDepth, cancellationToken);
            scope.Activate();
            var snapshot = await SnapshotAsync(session, entity, request, trigger, cancellationToken);
            var run = await _execution.RunAsync(new RuleRunRequest(rule, trigger, session, entity, snapshot, _options.Value.LimitsFor(session.TenantId), DryRun: true), waitForPlace: true, cancellationToken);
            result = new RuleTestResult(run.Outcome != RuleRunOutcome.Skipped, run.Outcome, run.Error, run.Rejections, run.Changes, run.Effects, run.Logs, run.Duration, run.Statements);
            // The scope is never completed: disposing it rolls back everything the run wrote.
        });

        return (result, null);
    }

    private async Task<(CompiledRule? Rule, ScriptSyntaxError? Syntax)> ResolveAsync(CrmSession session, RuleTestRequest request, CancellationToken cancellationToken)
    {
        RuleDefinition definition;
        Guid? id = null;
        long version = 0;
        if (request.RuleId is { } ruleId)
        {
            var saved = await _rules.GetAsync(session, ruleId, null, cancellationToken) ?? throw new CrmException(ErrorCodes.NotFound, $"There is no rule with id {ruleId}.", "ruleId");
            (id, version) = (saved.Id, saved.Version);
            definition = saved.Definition with { Script = request.Script ?? saved.Definition.Script, Condition = request.Condition ?? saved.Definition.Condition };
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Script))
            {
                throw new CrmException(ErrorCodes.Required, "Give a rule id or a script to test.", "script");
            }

            var entity = request.Entity ?? throw new CrmException(ErrorCodes.Required, "A script tested on its own needs its entity.", "entity");
            definition = new RuleDefinition { Name = "test", Entity = entity, Triggers = request.Trigger is { } t ? [t] : [], Script = request.Script, Condition = string.IsNullOrWhiteSpace(request.Condition) ? null : request.Condition };
        }

        var syntax = _compiler.Check(definition.Script, definition.Condition);
        return syntax is not null ? (null, syntax) : (_cache.Compile(id, version, definition), null);
    }

    private async Task<RecordSnapshot> SnapshotAsync(CrmSession session, EntityDefinition entity, RuleTestRequest request, RuleTrigger trigger, CancellationToken cancellationToken)
    {
        if (request.RecordId is { } recordId)
        {
            var record = await _services.Reader.GetAsync(session, entity.Name, recordId, includeDeleted: true, cancellationToken)
                ?? throw new CrmException(ErrorCodes.NotFound, $"There is no {entity.Name} with id {recordId}.", "recordId");
            var stored = RecordSnapshot.ValuesOf(record);
            if (request.Changes is null)
            {
                return trigger.IsBefore() || trigger.IsAfter()
                    ? new RecordSnapshot(record.Id, stored, stored, trigger.IsAfter() ? ChangeTracking.Fixed : ChangeTracking.Live, new HashSet<string>())
                    : RecordSnapshot.Stored(record);
            }

            var values = new Dictionary<string, object?>(stored);
            foreach (var (name, value) in Normalize(entity, request.Changes))
            {
                values[name] = value;
            }

            return new RecordSnapshot(record.Id, values, stored, trigger.IsAfter() ? ChangeTracking.Fixed : ChangeTracking.Live, request.Changes.Keys.ToHashSet(StringComparer.Ordinal));
        }

        // A record that does not exist yet: the values given, over the field defaults.
        var input = request.Record ?? new Dictionary<string, object?>();
        var created = Normalize(entity, input);
        WriteInput.ApplyDefaults(entity, created);
        var id = Guid.CreateVersion7();
        created[SystemFields.Id] = id;
        created.TryAdd(SystemFields.OwnerId, session.Principal.UserId);
        created[SystemFields.CreatedBy] = session.Principal.UserId;
        created[SystemFields.UpdatedBy] = session.Principal.UserId;
        return new RecordSnapshot(id, created, null, ChangeTracking.Live, input.Keys.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Client values checked like the input of a write; any error refuses the dry run.</summary>
    private static Dictionary<string, object?> Normalize(EntityDefinition entity, IReadOnlyDictionary<string, object?> input)
    {
        var errors = new List<CrmError>();
        var values = WriteInput.Normalize(entity, input, errors);
        return errors.Count > 0 ? throw new CrmException(errors) : values;
    }
}
