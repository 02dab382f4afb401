using CrmEngine.Duplicates.Matching;
using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Scanning;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Duplicates.Api;

/// <summary>
/// Duplicate rules in every tenant's schema: <c>duplicateRules</c>, <c>duplicateRule</c>,
/// <c>duplicateJob</c>, <c>duplicateJobs</c>, <c>duplicateSets</c>; <c>createDuplicateRule</c>,
/// <c>updateDuplicateRule</c>, <c>deleteDuplicateRule</c>, <c>startDuplicateScan</c>,
/// <c>dismissDuplicateSet</c>. All need admin rights.
/// </summary>
internal sealed class DuplicatesContributor(DuplicateRuleService rules, DuplicateJobs jobs, DuplicateSets sets) : ISchemaContributor
{
    public int Order => 45;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new DuplicateGraphTypes(types);
        AddQueries(context, types, graph);
        AddMutations(context, types, graph);
    }

    private void AddQueries(SchemaBuildContext context, SharedTypes types, DuplicateGraphTypes graph)
    {
        context.Query.AddField(new FieldType
        {
            Name = "duplicateRules",
            Description = "The tenant's duplicate rules (of one entity, when named), by entity and name. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Rule)),
            Arguments = new QueryArguments(new QueryArgument(types.String) { Name = "entity" }),
            Resolver = Resolve.Async(async (c, crm) => await rules.ListAsync(crm.Session, c.GetArgument<string?>("entity"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "duplicateRule",
            Description = "One duplicate rule; null when there is none. Needs admin rights.",
            ResolvedType = graph.Rule,
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) => await rules.GetAsync(crm.Session, Id(c, "id", SharedTypes.DuplicateRuleType), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "duplicateJob",
            Description = "A duplicate job and its progress; null when there is none. Needs admin rights.",
            ResolvedType = graph.Job,
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) => await jobs.GetAsync(Admin(crm).Session, Id(c, "id", DuplicateGraphTypes.JobType), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "duplicateJobs",
            Description = "Duplicate jobs (of one rule, when named), newest first. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Job)),
            Arguments = new QueryArguments(new QueryArgument(types.Id) { Name = "ruleId" }, new QueryArgument(types.Int) { Name = "first", DefaultValue = 20 }),
            Resolver = Resolve.Async(async (c, crm) => await jobs.ListAsync(Admin(crm).Session,
                c.GetArgument<string?>("ruleId") is null ? null : Id(c, "ruleId", SharedTypes.DuplicateRuleType), c.GetArgument<int>("first"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "duplicateSets",
            Description = $"A rule's duplicate sets from its last scan (OPEN) or dismissed ones, in key order, at most {DuplicateSets.MaxPage} a page: pass the last set's key as after. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Set)),
            Arguments = new QueryArguments(
                new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "ruleId" },
                new QueryArgument(graph.SetStatus) { Name = "status", DefaultValue = DuplicateSetStatus.Open },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 100 },
                new QueryArgument(types.String) { Name = "after" }),
            Resolver = Resolve.Async(async (c, crm) => await sets.ListAsync(Admin(crm).Session, Id(c, "ruleId", SharedTypes.DuplicateRuleType),
                c.GetArgument<DuplicateSetStatus>("status"), c.GetArgument<int>("first"), c.GetArgument<string?>("after"), c.CancellationToken)),
        });
    }

    private void AddMutations(SchemaBuildContext context, SharedTypes types, DuplicateGraphTypes graph)
    {
        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        Mutation(context, "createDuplicateRule", "Creates a duplicate rule and starts the job that keys the entity's existing records (keysReady until it ends).",
            graph.RulePayload, new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.RuleInput)) { Name = "input" }),
            async (c, crm) => new DuplicateOutcome(await rules.CreateAsync(crm.Session, Input(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken)));
        Mutation(context, "updateDuplicateRule", "Changes a duplicate rule; new conditions key every record again.",
            graph.RulePayload, new QueryArguments(id, new QueryArgument(SharedTypes.NonNull(graph.UpdateInput)) { Name = "input" }),
            async (c, crm) => new DuplicateOutcome(await rules.UpdateAsync(crm.Session, Id(c, "id", SharedTypes.DuplicateRuleType), Input(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken)));
        Mutation(context, "deleteDuplicateRule", "Deletes a duplicate rule with its keys and duplicate sets.",
            graph.RulePayload, new QueryArguments(id),
            async (c, crm) => new DuplicateOutcome(await rules.DeleteAsync(crm.Session, Id(c, "id", SharedTypes.DuplicateRuleType), c.CancellationToken)));
        Mutation(context, "startDuplicateScan", "Starts a scan of the rule's entity in the background; follow it with duplicateJob, then read duplicateSets.",
            graph.JobPayload, new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "ruleId" }),
            async (c, crm) => new DuplicateOutcome(Job: await rules.ScanAsync(crm.Session, Id(c, "ruleId", SharedTypes.DuplicateRuleType), c.CancellationToken)));
        Mutation(context, "dismissDuplicateSet", "Marks a duplicate set as not duplicates; later scans don't propose the same records again.",
            graph.SetPayload, new QueryArguments(id),
            async (c, crm) => new DuplicateOutcome(Set: await sets.DismissAsync(Admin(crm).Session, Id(c, "id", DuplicateGraphTypes.SetType), c.CancellationToken)));
    }

    private static void Mutation(SchemaBuildContext context, string name, string description, IGraphType payload, QueryArguments arguments, Func<IResolveFieldContext, CrmUserContext, Task<DuplicateOutcome>> change) =>
        context.AddAdminMutation(name, description, payload, arguments, change, errors => new DuplicateOutcome(Errors: errors));

    private static CrmUserContext Admin(CrmUserContext crm)
    {
        DuplicateRuleService.RequireAdmin(crm.Session);
        return crm;
    }

    private static Guid Id(IResolveFieldContext context, string argument, string type) =>
        GlobalId.TryRead(context.GetArgument<string>(argument), type, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{context.GetArgument<string>(argument)}' is not a {type} id.", argument);

    private static DuplicateRuleInput Input(Dictionary<string, object?> input) => new(
        input.GetValueOrDefault("name") as string,
        input.GetValueOrDefault("entity") as string,
        input.GetValueOrDefault("active") as bool?,
        input.GetValueOrDefault("onCreate") as RuleAction?,
        input.GetValueOrDefault("onUpdate") as RuleAction?,
        input.GetValueOrDefault("conditions") is IEnumerable<object?> conditions
            ? conditions.OfType<IDictionary<string, object?>>().Select(c => new RuleCondition((string)c["field"]!, (Matcher)c["matcher"]!, (c.TryGetValue("country", out var country) ? country as string : null))).ToList()
            : null);
}
