using System.Diagnostics;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// Runs one rule once: a fresh sandboxed engine, the script's globals (<c>record</c>, <c>previous</c>,
/// <c>changed</c>, <c>user</c>, <c>trigger</c>, <c>rule</c>, <c>crm</c>), the condition, then the
/// script; and turns whatever happened, including a broken limit, into a <see cref="RuleRunResult"/>.
/// It never throws for anything a script does; only cancellation escapes.
/// </summary>
internal sealed class RuleRunner(RuleServices services, ILogger<RuleRunner> logger, CrmMetrics metrics)
{
    /// <summary>Runs the rule in its span (<c>crm.rule</c>: the rule, its trigger and how the run ended).</summary>
    public RuleRunResult Run(RuleRunRequest request, CancellationToken cancellationToken)
    {
        using var activity = CrmTelemetry.Source.StartActivity("crm.rule");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(CrmTelemetry.RuleTag, request.Rule.Name);
            activity.SetTag(CrmTelemetry.TenantTag, request.Session.TenantId);
            activity.SetTag(CrmTelemetry.EntityTag, request.Entity.Name);
        }

        var result = RunCore(request, cancellationToken);
        activity?.SetTag(CrmTelemetry.OutcomeTag, result.Outcome.ToString());
        if (result.Error is { } error)
        {
            activity?.SetTag(CrmTelemetry.ErrorCodeTag, error.Code);
        }

        return result;
    }

    private RuleRunResult RunCore(RuleRunRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var budget = new RunBudget(request.Limits);
        CrmApi? api = null;
        // Script calls into the engine wait for its tasks; without a synchronization context their
        // continuations never need the waiting thread (test runners install one).
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var engine = ScriptSandbox.Create(request.Limits, budget, cancellationToken);
            api = new CrmApi(engine, request, services, cancellationToken);
            var record = RecordObject.Create(engine, request.Entity, request.Record);
            InstallGlobals(engine, request, api, record);

            if (request.Rule.Condition is { } condition && !TypeConverter.ToBoolean(engine.Evaluate(condition)))
            {
                return Finish(RuleRunOutcome.Skipped, null, api, [], started, budget);
            }

            engine.Execute(request.Rule.Script);
            var changes = record.Changes(engine);
            return Finish(api.Rejections.Count > 0 ? RuleRunOutcome.Rejected : RuleRunOutcome.Succeeded, null, api, changes, started, budget);
        }
        catch (ExecutionCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (Limit(e) is { } limit)
        {
            var message = $"Rule '{request.Rule.Name}' was stopped: it exceeded its {Describe(limit, request.Limits)}.";
            logger.LogWarning("Rule {Rule} v{Version} of tenant {Tenant} exceeded its {Limit} limit: {Detail}", request.Rule.Name, request.Rule.Version, request.Session.TenantId, limit, e.Message);
            metrics.RuleLimitHits.Add(1, new KeyValuePair<string, object?>(CrmTelemetry.RuleLimitTag, LimitNames[limit]));
            return Finish(RuleRunOutcome.LimitExceeded, new CrmError(RuleErrorCodes.LimitExceeded, message), api, [], started, budget);
        }
        catch (JavaScriptException e)
        {
            var error = api?.ErrorBehind(e.Error) is { } refused
                ? refused with { Message = $"Rule '{request.Rule.Name}': {refused.Message}", Field = null }
                : new CrmError(RuleErrorCodes.RuleError, $"Rule '{request.Rule.Name}' failed{Where(e)}: {Describe(e.Error)}");
            return Finish(RuleRunOutcome.Failed, error, api, [], started, budget);
        }
        catch (ScriptSyntaxException e)
        {
            return Finish(RuleRunOutcome.Failed, new CrmError(RuleErrorCodes.RuleError, $"Rule '{request.Rule.Name}' can't run: {e.Error.Message}"), api, [], started, budget);
        }
        catch (ScriptRefusedException e)
        {
            return Finish(RuleRunOutcome.Failed, new CrmError(RuleErrorCodes.RuleError, $"Rule '{request.Rule.Name}' can't run: {e.Message}"), api, [], started, budget);
        }
        catch (CrmException e)
        {
            return Finish(RuleRunOutcome.Failed, e.Errors[0] with { Message = $"Rule '{request.Rule.Name}': {e.Errors[0].Message}" }, api, [], started, budget);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Rule {Rule} v{Version} of tenant {Tenant} failed unexpectedly.", request.Rule.Name, request.Rule.Version, request.Session.TenantId);
            return Finish(RuleRunOutcome.Failed, new CrmError(RuleErrorCodes.RuleError, $"Rule '{request.Rule.Name}' failed: an internal error occurred; it has been logged."), api, [], started, budget);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private static void InstallGlobals(JsEngine engine, RuleRunRequest request, CrmApi api, RecordObject record)
    {
        var global = engine.Global;
        var snapshot = request.Record;
        Constant(global, "record", record.Value);
        Constant(global, "previous", RecordObject.Frozen(engine, request.Entity, snapshot.Previous));
        Constant(global, "trigger", new JsString(request.Trigger.Name()));
        Constant(global, "crm", api.Value);

        var principal = request.Session.Principal;
        var user = new JsObject(engine);
        user.Set("id", principal.UserId.ToString());
        user.Set("roles", JsConvert.ToJs(engine, principal.Roles));
        user.Set("isAdmin", principal.IsAdmin);
        user.Set("isSystem", principal.UserId == CrmPrincipal.SystemUserId);
        user.PreventExtensions();
        Constant(global, "user", user);

        var rule = new JsObject(engine);
        rule.Set("name", request.Rule.Name);
        rule.Set("version", request.Rule.Version);
        rule.Set("entity", request.Entity.Name);
        rule.PreventExtensions();
        Constant(global, "rule", rule);

        Constant(global, "changed", new ClrFunction(engine, "changed", (_, args) =>
        {
            var field = args.Length > 0 && args[0].IsString() ? args[0].AsString() : throw new JavaScriptException(engine.Intrinsics.TypeError, "changed() takes a field name.");
            if (field != Engine.Metadata.SystemFields.OwnerId && request.Entity.FindField(field) is null)
            {
                throw new JavaScriptException(engine.Intrinsics.TypeError, $"Entity '{request.Entity.Name}' has no field '{field}'.");
            }

            return snapshot.Tracking switch
            {
                ChangeTracking.Fixed => snapshot.ChangedFields.Contains(field),
                ChangeTracking.Live => snapshot.Previous is { } previous ? record.Differs(engine, field, previous.GetValueOrDefault(field)) : !IsEmpty(request, field, record.Current(engine, field)),
                _ => false,
            };
        }, 1, PropertyFlag.Configurable));
    }

    private static bool IsEmpty(RuleRunRequest request, string field, object? value) =>
        value is null || (request.Entity.FindField(field) is { } definition && Engine.Fields.FieldKinds.Of(definition).IsEmpty(value));

    private static void Constant(ObjectInstance global, string name, JsValue value) =>
        global.FastSetProperty(name, new PropertyDescriptor(value, writable: false, enumerable: false, configurable: false));

    private static RuleRunResult Finish(RuleRunOutcome outcome, CrmError? error, CrmApi? api, IReadOnlyList<FieldChange> changes, long started, RunBudget budget) =>
        new(outcome, error, api?.Rejections ?? [], changes, api?.Effects ?? [], api?.Logs ?? [], Stopwatch.GetElapsedTime(started), budget.Statements.Count);

    /// <summary>Each limit's name as the metric's tag: made once, not per hit.</summary>
    private static readonly Dictionary<RuleLimit, string> LimitNames = Enum.GetValues<RuleLimit>().ToDictionary(l => l, l => l.ToString().ToLowerInvariant());

    private static RuleLimit? Limit(Exception e) => e switch
    {
        ScriptLimitException limit => limit.Limit,
        MemoryLimitExceededException => RuleLimit.Memory,
        RecursionDepthOverflowException => RuleLimit.Recursion,
        StatementsCountOverflowException => RuleLimit.Statements,
        RegexMatchTimeoutException => RuleLimit.Regex,
        TimeoutException => RuleLimit.Time,
        _ => null,
    };

    public static string Describe(RuleLimit limit, RuleLimits limits) => limit switch
    {
        RuleLimit.Time => $"time limit of {limits.Timeout.TotalMilliseconds:0} ms",
        RuleLimit.Statements => $"statement limit of {limits.MaxStatements:N0} statements",
        RuleLimit.Memory => $"memory limit of {limits.MaxMemoryBytes / (1024.0 * 1024):0.#} MB (or {limits.MaxArrayLength:N0} array elements)",
        RuleLimit.Recursion => $"recursion limit of {limits.MaxRecursionDepth} nested calls",
        _ => $"regular-expression time limit of {limits.RegexTimeout.TotalMilliseconds:0} ms",
    };

    private static string Where(JavaScriptException e)
    {
        var start = e.Location.Start;
        return start.Line > 0 ? $" at line {start.Line}, column {start.Column + 1} of its {(e.Location.SourceFile == "condition" ? "condition" : "script")}" : string.Empty;
    }

    private static string Describe(JsValue thrown)
    {
        var text = thrown is ObjectInstance obj && obj.Get("message") is { } m && m.IsString()
            ? (obj.Get("name") is { } n && n.IsString() ? n.AsString() + ": " : string.Empty) + m.AsString()
            : TypeConverter.ToString(thrown);
        return text.Length <= 2000 ? text : text[..2000] + "…";
    }
}
