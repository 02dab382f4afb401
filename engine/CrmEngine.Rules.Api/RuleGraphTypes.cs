using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Types;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Logging;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Rules.Api;

/// <summary>The graph types of rules, runs and notifications; made anew for every schema build.</summary>
internal sealed class RuleGraphTypes
{
    public const string RuleType = "Rule";
    public const string NotificationType = "Notification";

    public RuleGraphTypes(SharedTypes types)
    {
        var text = SharedTypes.NonNull(types.String);
        Trigger = new EnumerationGraphType<RuleTrigger> { Name = "RuleTrigger", Description = "What makes a rule run." };
        Outcome = new EnumerationGraphType<RuleRunOutcome> { Name = "RuleRunOutcome", Description = "How a rule run ended." };
        var triggers = SharedTypes.NonNull(SharedTypes.ListOf(Trigger));

        SyntaxError = types.Object("ScriptSyntaxError", "Where a script or condition fails to parse.",
            ("part", text, c => S(c.Source).Part),
            ("line", SharedTypes.NonNull(types.Int), c => S(c.Source).Line),
            ("column", SharedTypes.NonNull(types.Int), c => S(c.Source).Column),
            ("message", text, c => S(c.Source).Description));

        Version = types.Object("RuleVersion", "One saved version of a rule.",
            ("version", SharedTypes.NonNull(types.Int), c => (int)V(c.Source).Version),
            ("name", text, c => V(c.Source).Definition.Name),
            ("entity", text, c => V(c.Source).Definition.Entity),
            ("triggers", triggers, c => V(c.Source).Definition.Triggers),
            ("condition", types.String, c => V(c.Source).Definition.Condition),
            ("script", text, c => V(c.Source).Definition.Script),
            ("schedule", types.String, c => V(c.Source).Definition.Schedule),
            ("timeZone", types.String, c => V(c.Source).Definition.TimeZone),
            ("filter", types.Json, c => Filter(V(c.Source).Definition.Filter)),
            ("description", types.String, c => V(c.Source).Definition.Description),
            ("order", SharedTypes.NonNull(types.Int), c => V(c.Source).Definition.Order),
            ("author", types.Id, c => V(c.Source).Author is { } a ? GlobalId.Encode(GlobalId.UserType, a) : null),
            ("at", SharedTypes.NonNull(types.DateTime), c => V(c.Source).At),
            ("note", types.String, c => V(c.Source).Note));

        Run = types.Object("RuleRun", "One execution of a rule, from the run log.",
            ("id", SharedTypes.NonNull(types.Id), c => R(c.Source).Id.ToString()),
            ("ruleId", types.Id, c => R(c.Source).RuleId is { } id ? GlobalId.Encode(RuleType, id) : null),
            ("ruleName", text, c => R(c.Source).RuleName),
            ("version", SharedTypes.NonNull(types.Int), c => (int)R(c.Source).Version),
            ("entity", text, c => R(c.Source).Entity),
            ("recordId", types.Id, c => R(c.Source).RecordId is { } id ? GlobalId.Encode(R(c.Source).Entity, id) : null),
            ("trigger", text, c => R(c.Source).Trigger),
            ("outcome", SharedTypes.NonNull(Outcome), c => ParseOutcome(R(c.Source).Outcome)),
            ("errorCode", types.String, c => R(c.Source).ErrorCode),
            ("error", types.String, c => R(c.Source).Error),
            ("durationMs", SharedTypes.NonNull(types.Decimal), c => Math.Round((decimal)R(c.Source).DurationMs, 3)),
            ("statements", SharedTypes.NonNull(types.Long), c => R(c.Source).Statements),
            ("at", SharedTypes.NonNull(types.DateTime), c => RuleStore.Utc(R(c.Source).At)),
            ("log", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), c => R(c.Source).Log?.Split('\n') ?? []));

        Rule = new ObjectGraphType { Name = RuleType, Description = "A tenant rule: a script that runs on triggers, in a sandbox." };
        Add(Rule, "id", SharedTypes.NonNull(types.Id), r => GlobalId.Encode(RuleType, I(r).Id));
        Add(Rule, "name", text, r => I(r).Definition.Name);
        Add(Rule, "entity", text, r => I(r).Definition.Entity);
        Add(Rule, "triggers", triggers, r => I(r).Definition.Triggers);
        Add(Rule, "condition", types.String, r => I(r).Definition.Condition);
        Add(Rule, "script", text, r => I(r).Definition.Script);
        Add(Rule, "schedule", types.String, r => I(r).Definition.Schedule);
        Add(Rule, "timeZone", types.String, r => I(r).Definition.TimeZone);
        Add(Rule, "filter", types.Json, r => Filter(I(r).Definition.Filter));
        Add(Rule, "description", types.String, r => I(r).Definition.Description);
        Add(Rule, "order", SharedTypes.NonNull(types.Int), r => I(r).Definition.Order);
        Add(Rule, "enabled", SharedTypes.NonNull(types.Boolean), r => I(r).Enabled);
        Add(Rule, "version", SharedTypes.NonNull(types.Int), r => (int)I(r).Version);
        Add(Rule, "author", types.Id, r => I(r).Author is { } a ? GlobalId.Encode(GlobalId.UserType, a) : null);
        Add(Rule, "createdAt", SharedTypes.NonNull(types.DateTime), r => I(r).CreatedAt);
        Add(Rule, "updatedAt", SharedTypes.NonNull(types.DateTime), r => I(r).UpdatedAt);
        Add(Rule, "deletedAt", types.DateTime, r => I(r).DeletedAt);
        Add(Rule, "nextRunAt", types.DateTime, r => I(r).NextRunAt);

        FieldChange = types.Object("RuleFieldChange", "A field a rule changed on its record: the value before and the value the rule set.",
            ("field", text, c => ((FieldChange)c.Source!).Field),
            ("old", types.Json, c => ApiJson.From(((FieldChange)c.Source!).Old)),
            ("new", types.Json, c => ApiJson.From(((FieldChange)c.Source!).New)));

        Effect = types.Object("RuleEffect", "Something a rule did besides changing its record: a write through crm.* or a notification.",
            ("kind", text, c => E(c.Source).Kind),
            ("entity", text, c => E(c.Source).Entity),
            ("recordId", types.Id, c => E(c.Source).RecordId is { } id ? GlobalId.Encode(E(c.Source).Entity, id) : null),
            ("values", types.Json, c => ApiJson.From(E(c.Source).Values)),
            ("userId", types.Id, c => E(c.Source).UserId is { } u ? GlobalId.Encode(GlobalId.UserType, u) : null),
            ("message", types.String, c => E(c.Source).Message));

        TestResult = types.Object("RuleTestResult", "What a dry run would have done. Nothing was written.",
            ("conditionMet", SharedTypes.NonNull(types.Boolean), c => T(c.Source).ConditionMet),
            ("outcome", SharedTypes.NonNull(Outcome), c => T(c.Source).Outcome),
            ("error", types.UserError, c => T(c.Source).Error),
            ("rejections", types.UserErrors, c => T(c.Source).Rejections),
            ("changes", SharedTypes.NonNull(SharedTypes.ListOf(FieldChange)), c => T(c.Source).Changes),
            ("effects", SharedTypes.NonNull(SharedTypes.ListOf(Effect)), c => T(c.Source).Effects),
            ("logs", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), c => T(c.Source).Logs),
            ("durationMs", SharedTypes.NonNull(types.Decimal), c => Math.Round((decimal)T(c.Source).Duration.TotalMilliseconds, 3)),
            ("statements", SharedTypes.NonNull(types.Long), c => T(c.Source).Statements));

        RecordResult = types.Object("RuleRecordResult", "How a manual run went on one record.",
            ("recordId", SharedTypes.NonNull(types.Id), c => GlobalId.Encode(((RecordResultSource)c.Source!).Entity, ((RecordResultSource)c.Source!).Result.RecordId)),
            ("outcome", SharedTypes.NonNull(Outcome), c => ((RecordResultSource)c.Source!).Result.Outcome),
            ("error", types.UserError, c => ((RecordResultSource)c.Source!).Result.Error),
            ("changes", SharedTypes.NonNull(SharedTypes.ListOf(FieldChange)), c => ((RecordResultSource)c.Source!).Result.Changes),
            ("logs", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), c => ((RecordResultSource)c.Source!).Result.Logs));

        Notification = types.Object(NotificationType, "A message a rule sent to a user.",
            ("id", SharedTypes.NonNull(types.Id), c => GlobalId.Encode(NotificationType, N(c.Source).Id)),
            ("message", text, c => N(c.Source).Message),
            ("rule", types.String, c => N(c.Source).RuleName),
            ("entity", types.String, c => N(c.Source).Entity),
            ("recordId", types.Id, c => N(c.Source).RecordId is { } id && N(c.Source).Entity is { } e ? GlobalId.Encode(e, id) : null),
            ("at", SharedTypes.NonNull(types.DateTime), c => RuleStore.Utc(N(c.Source).At)),
            ("readAt", types.DateTime, c => N(c.Source).ReadAt is { } r ? RuleStore.Utc(r) : (DateTime?)null));

        Limits = types.Object("RuleLimits", "What one run of this tenant's rules may use.",
            ("timeoutMs", SharedTypes.NonNull(types.Int), c => (int)L(c.Source).Timeout.TotalMilliseconds),
            ("maxStatements", SharedTypes.NonNull(types.Int), c => L(c.Source).MaxStatements),
            ("maxMemoryBytes", SharedTypes.NonNull(types.Long), c => L(c.Source).MaxMemoryBytes),
            ("maxRecursionDepth", SharedTypes.NonNull(types.Int), c => L(c.Source).MaxRecursionDepth),
            ("regexTimeoutMs", SharedTypes.NonNull(types.Int), c => (int)L(c.Source).RegexTimeout.TotalMilliseconds),
            ("maxArrayLength", SharedTypes.NonNull(types.Int), c => L(c.Source).MaxArrayLength),
            ("maxLogLines", SharedTypes.NonNull(types.Int), c => L(c.Source).MaxLogLines));

        Parked = types.Object("ParkedChange", "A committed change whose after-stage work failed every attempt.",
            ("sequence", SharedTypes.NonNull(types.Long), c => ((ParkedChange)c.Source!).Sequence),
            ("entity", text, c => ((ParkedChange)c.Source!).Entity),
            ("recordId", SharedTypes.NonNull(types.Id), c => GlobalId.Encode(((ParkedChange)c.Source!).Entity, ((ParkedChange)c.Source!).RecordId)),
            ("operation", text, c => ((ParkedChange)c.Source!).Operation),
            ("version", SharedTypes.NonNull(types.Int), c => (int)((ParkedChange)c.Source!).Version),
            ("at", SharedTypes.NonNull(types.DateTime), c => ((ParkedChange)c.Source!).At),
            ("attempts", SharedTypes.NonNull(types.Int), c => ((ParkedChange)c.Source!).Attempts),
            ("lastError", types.String, c => ((ParkedChange)c.Source!).LastError));

        RulePayload = Payload("RulePayload", ("rule", Rule, c => ((RuleChangeResult)c.Source!).Rule), ("syntaxError", SyntaxError, c => ((RuleChangeResult)c.Source!).Syntax), ("userErrors", types.UserErrors, c => ((RuleChangeResult)c.Source!).Errors));
        TestPayload = Payload("TestRulePayload", ("result", TestResult, c => ((TestOutcome)c.Source!).Result), ("syntaxError", SyntaxError, c => ((TestOutcome)c.Source!).Syntax), ("userErrors", types.UserErrors, c => ((TestOutcome)c.Source!).Errors));
        RunPayload = Payload("RunRulePayload", ("results", SharedTypes.NonNull(SharedTypes.ListOf(RecordResult)), c => ((RunOutcome)c.Source!).Results), ("userErrors", types.UserErrors, c => ((RunOutcome)c.Source!).Errors));
        RetryPayload = Payload("RetryParkedChangesPayload", ("retried", SharedTypes.NonNull(types.Int), c => ((RetryOutcome)c.Source!).Retried), ("userErrors", types.UserErrors, c => ((RetryOutcome)c.Source!).Errors));
        MarkReadPayload = Payload("MarkNotificationsReadPayload", ("marked", SharedTypes.NonNull(types.Int), c => ((MarkReadOutcome)c.Source!).Marked), ("userErrors", types.UserErrors, c => ((MarkReadOutcome)c.Source!).Errors));

        SaveInput = SharedTypes.Input("SaveRuleInput", "A rule to create, or a new version of one (matched by id, else by name).",
            ("id", types.Id), ("name", text), ("entity", text), ("triggers", triggers), ("condition", types.String), ("script", text),
            ("schedule", types.String), ("timeZone", types.String), ("filter", types.Json), ("description", types.String), ("order", types.Int), ("enabled", types.Boolean));
        TestInput = SharedTypes.Input("TestRuleInput", "What to dry-run: a saved rule or a script, on a stored record or a new one.",
            ("ruleId", types.Id), ("entity", types.String), ("script", types.String), ("condition", types.String), ("trigger", Trigger),
            ("recordId", types.Id), ("record", types.Json), ("changes", types.Json));
        Versions(Rule, types);
    }

    public EnumerationGraphType<RuleTrigger> Trigger { get; }

    public EnumerationGraphType<RuleRunOutcome> Outcome { get; }

    public ObjectGraphType SyntaxError { get; }

    public ObjectGraphType Version { get; }

    public ObjectGraphType Run { get; }

    public ObjectGraphType Rule { get; }

    public ObjectGraphType FieldChange { get; }

    public ObjectGraphType Effect { get; }

    public ObjectGraphType TestResult { get; }

    public ObjectGraphType RecordResult { get; }

    public ObjectGraphType Notification { get; }

    public ObjectGraphType Limits { get; }

    public ObjectGraphType RulePayload { get; }

    public ObjectGraphType TestPayload { get; }

    public ObjectGraphType RunPayload { get; }

    public ObjectGraphType MarkReadPayload { get; }

    public ObjectGraphType Parked { get; }

    public ObjectGraphType RetryPayload { get; }

    public InputObjectGraphType SaveInput { get; }

    public InputObjectGraphType TestInput { get; }

    public static RuleRunOutcome ParseOutcome(string stored) =>
        Enum.GetValues<RuleRunOutcome>().FirstOrDefault(o => RunLog.OutcomeName(o) == stored, RuleRunOutcome.Failed);

    private void Versions(ObjectGraphType rule, SharedTypes types)
    {
        rule.AddField(new FieldType
        {
            Name = "versions",
            Description = "Every saved version, newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(Version)),
            Resolver = Resolve.Async(async (c, crm) => await Service<RuleService>(c).VersionsAsync(crm.Session, I(c.Source!).Id, c.CancellationToken)),
        });
        rule.AddField(new FieldType
        {
            Name = "runs",
            Description = "This rule's latest runs, newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(Run)),
            Arguments = new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 20 }),
            Resolver = Resolve.Async(async (c, crm) => await Service<RunLog>(c).QueryAsync(crm.Session, new RunLogQuery(RuleId: I(c.Source!).Id, First: c.GetArgument<int>("first")), c.CancellationToken)),
        });
    }

    internal static T Service<T>(IResolveFieldContext context)
        where T : notnull =>
        (T)(context.RequestServices?.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered."));

    private static ObjectGraphType Payload(string name, params (string Name, IGraphType Type, Func<IResolveFieldContext, object?> Resolve)[] fields)
    {
        var type = new ObjectGraphType { Name = name };
        foreach (var (fieldName, fieldType, resolve) in fields)
        {
            type.AddField(new FieldType { Name = fieldName, ResolvedType = fieldType, Resolver = Resolve.Sync(resolve) });
        }

        return type;
    }

    private static void Add(ObjectGraphType type, string name, IGraphType graphType, Func<object, object?> value) =>
        type.AddField(new FieldType { Name = name, ResolvedType = graphType, Resolver = Resolve.Sync(c => value(c.Source!)) });

    private static object? Filter(string? json) => json is null ? null : ApiJson.From(RuleValidator.ParseFilter(json));

    private static ScriptSyntaxError S(object? source) => (ScriptSyntaxError)source!;

    private static RuleVersionInfo V(object? source) => (RuleVersionInfo)source!;

    private static RuleInfo I(object source) => (RuleInfo)source;

    private static RuleRunRow R(object? source) => (RuleRunRow)source!;

    private static RuleEffect E(object? source) => (RuleEffect)source!;

    private static RuleTestResult T(object? source) => (RuleTestResult)source!;

    private static NotificationRow N(object? source) => (NotificationRow)source!;

    private static RuleLimits L(object? source) => (RuleLimits)source!;
}

/// <summary>A manual run's result with the entity its id belongs to.</summary>
internal sealed record RecordResultSource(string Entity, RecordRunResult Result);

internal sealed record TestOutcome(RuleTestResult? Result, ScriptSyntaxError? Syntax, IReadOnlyList<CrmError> Errors);

internal sealed record RunOutcome(IReadOnlyList<RecordResultSource> Results, IReadOnlyList<CrmError> Errors);

internal sealed record MarkReadOutcome(int Marked, IReadOnlyList<CrmError> Errors);

internal sealed record RetryOutcome(int Retried, IReadOnlyList<CrmError> Errors);
