using CrmEngine.Duplicates.Matching;
using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Types;
using GraphQL.Types;

namespace CrmEngine.Duplicates.Api;

/// <summary>The graph types of duplicate rules, jobs and sets; made anew for every schema build.</summary>
internal sealed class DuplicateGraphTypes
{
    public const string JobType = "DuplicateJob";
    public const string SetType = "DuplicateSet";

    public DuplicateGraphTypes(SharedTypes types)
    {
        var text = SharedTypes.NonNull(types.String);
        var id = SharedTypes.NonNull(types.Id);
        var instant = SharedTypes.NonNull(types.DateTime);
        var count = SharedTypes.NonNull(types.Long);
        Matcher = new EnumerationGraphType<Matcher> { Name = "DuplicateMatcher", Description = "How a condition compares a field: EXACT (case, width and spacing ignored), COMPANY_NAME (legal forms and punctuation ignored), EMAIL, EMAIL_DOMAIN (free-mail domains never match), PHONE (E.164)." };
        Action = new EnumerationGraphType<RuleAction> { Name = "DuplicateRuleAction", Description = "What a rule does to a matching write: WARN (reported in the payload's duplicates), BLOCK (refused with DUPLICATE_RECORD) or NONE (not checked)." };
        JobStatus = new EnumerationGraphType<DuplicateJobStatus> { Name = "DuplicateJobStatus", Description = "Where a duplicate job is." };
        SetStatus = new EnumerationGraphType<DuplicateSetStatus> { Name = "DuplicateSetStatus", Description = "OPEN, or DISMISSED as not duplicates." };
        Condition = SharedTypes.SourceObject("DuplicateCondition", "A field and how it is compared; a rule's conditions must all match.",
            ("field", text, s => ((RuleCondition)s).Field),
            ("matcher", SharedTypes.NonNull(Matcher), s => ((RuleCondition)s).Matcher),
            ("country", types.String, s => ((RuleCondition)s).Country));
        ConditionInput = SharedTypes.Input("DuplicateConditionInput", "A field and how it is compared. country: for PHONE, the ISO country national numbers are read in (the host's Crm:Duplicates:DefaultCountry, CN, when left out).",
            ("field", text), ("matcher", SharedTypes.NonNull(Matcher)), ("country", types.String));
        Rule = SharedTypes.SourceObject(SharedTypes.DuplicateRuleType, "A duplicate rule: records of its entity whose conditions all match are duplicates.",
            ("id", id, s => GlobalId.Encode(SharedTypes.DuplicateRuleType, R(s).Id)),
            ("name", text, s => R(s).Name),
            ("entity", text, s => R(s).Entity),
            ("active", SharedTypes.NonNull(types.Boolean), s => R(s).Active),
            ("onCreate", SharedTypes.NonNull(Action), s => Enum.Parse<RuleAction>(R(s).OnCreate)),
            ("onUpdate", SharedTypes.NonNull(Action), s => Enum.Parse<RuleAction>(R(s).OnUpdate)),
            ("conditions", SharedTypes.NonNull(SharedTypes.ListOf(Condition)), s => DuplicateRule.ReadConditions(R(s).Conditions)),
            ("keysReady", SharedTypes.NonNull(types.Boolean), s => R(s).KeysReady),
            ("createdAt", instant, s => Utc(R(s).CreatedAt)),
            ("updatedAt", instant, s => Utc(R(s).UpdatedAt)));
        Job = SharedTypes.SourceObject(JobType, "A background job over a rule's entity: it keys every record again and, for a scan, finds the duplicate sets.",
            ("id", id, s => GlobalId.Encode(JobType, J(s).Id)),
            ("ruleId", id, s => GlobalId.Encode(SharedTypes.DuplicateRuleType, J(s).RuleId)),
            ("entity", text, s => J(s).Entity),
            ("findsSets", SharedTypes.NonNull(types.Boolean), s => J(s).FindsSets),
            ("status", SharedTypes.NonNull(JobStatus), s => Enum.Parse<DuplicateJobStatus>(J(s).Status)),
            ("recordsTotal", count, s => J(s).RecordsTotal),
            ("recordsRead", count, s => J(s).RecordsRead),
            ("setsFound", SharedTypes.NonNull(types.Int), s => J(s).SetsFound),
            ("errorCode", types.String, s => J(s).ErrorCode),
            ("errorMessage", types.String, s => J(s).ErrorMessage),
            ("createdAt", instant, s => Utc(J(s).CreatedAt)),
            ("startedAt", types.DateTime, s => Utc(J(s).StartedAt)),
            ("finishedAt", types.DateTime, s => Utc(J(s).FinishedAt)));
        Set = SharedTypes.SourceObject(SetType, "Records a scan found matching one another under a rule.",
            ("id", id, s => GlobalId.Encode(SetType, S(s).Id)),
            ("ruleId", id, s => GlobalId.Encode(SharedTypes.DuplicateRuleType, S(s).RuleId)),
            ("jobId", id, s => GlobalId.Encode(JobType, S(s).JobId)),
            ("entity", text, s => S(s).Entity),
            ("key", text, s => S(s).Key),
            ("recordIds", SharedTypes.NonNull(SharedTypes.ListOf(types.Id)), s => S(s).RecordIds.Split(',').Select(r => GlobalId.Encode(S(s).Entity, Guid.Parse(r))).ToList()),
            ("size", SharedTypes.NonNull(types.Int), s => S(s).Size),
            ("status", SharedTypes.NonNull(SetStatus), s => Enum.Parse<DuplicateSetStatus>(S(s).Status)),
            ("dismissedAt", types.DateTime, s => Utc(S(s).DismissedAt)),
            ("createdAt", instant, s => Utc(S(s).CreatedAt)));
        RuleInput = SharedTypes.Input("CreateDuplicateRuleInput", "A new duplicate rule. onCreate and onUpdate default to WARN, active to true.",
            ("name", text), ("entity", text), ("active", types.Boolean), ("onCreate", Action), ("onUpdate", Action),
            ("conditions", SharedTypes.NonNull(SharedTypes.ListOf(ConditionInput))));
        UpdateInput = SharedTypes.Input("UpdateDuplicateRuleInput", "What to change on a rule; members left out stay as they are. New conditions (or entity) key every record again.",
            ("name", types.String), ("entity", types.String), ("active", types.Boolean), ("onCreate", Action), ("onUpdate", Action),
            ("conditions", SharedTypes.ListOf(ConditionInput)));
        RulePayload = Payload("DuplicateRulePayload", ("duplicateRule", Rule, o => o.Rule), ("userErrors", types.UserErrors, o => o.Errors));
        JobPayload = Payload("DuplicateJobPayload", ("job", Job, o => o.Job), ("userErrors", types.UserErrors, o => o.Errors));
        SetPayload = Payload("DuplicateSetPayload", ("duplicateSet", Set, o => o.Set), ("userErrors", types.UserErrors, o => o.Errors));
    }

    public EnumerationGraphType<Matcher> Matcher { get; }

    public EnumerationGraphType<RuleAction> Action { get; }

    public EnumerationGraphType<DuplicateJobStatus> JobStatus { get; }

    public EnumerationGraphType<DuplicateSetStatus> SetStatus { get; }

    public ObjectGraphType Condition { get; }

    public InputObjectGraphType ConditionInput { get; }

    public ObjectGraphType Rule { get; }

    public ObjectGraphType Job { get; }

    public ObjectGraphType Set { get; }

    public InputObjectGraphType RuleInput { get; }

    public InputObjectGraphType UpdateInput { get; }

    public ObjectGraphType RulePayload { get; }

    public ObjectGraphType JobPayload { get; }

    public ObjectGraphType SetPayload { get; }

    private static ObjectGraphType Payload(string name, params (string Name, IGraphType Type, Func<DuplicateOutcome, object?> Read)[] fields) =>
        SharedTypes.SourceObject(name, "What the mutation did; userErrors say why it did nothing.", [.. fields.Select(f => (f.Name, f.Type, (Func<object, object?>)(s => f.Read((DuplicateOutcome)s))))]);

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static DuplicateRuleRow R(object source) => (DuplicateRuleRow)source;

    private static DuplicateJobRow J(object source) => (DuplicateJobRow)source;

    private static DuplicateSetRow S(object source) => (DuplicateSetRow)source;
}

/// <summary>What a duplicate mutation answers: the rule, job or set it made or changed, or the errors that stopped it.</summary>
internal sealed record DuplicateOutcome(DuplicateRuleRow? Rule = null, DuplicateJobRow? Job = null, DuplicateSetRow? Set = null, IReadOnlyList<CrmError>? Errors = null)
{
    public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];
}
