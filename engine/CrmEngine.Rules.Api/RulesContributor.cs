using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Logging;
using CrmEngine.Rules.Scripting;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules.Api;

/// <summary>
/// Rule administration in every tenant's schema: <c>rules</c>, <c>rule</c>, <c>ruleRuns</c>,
/// <c>ruleLimits</c>, <c>notifications</c>, <c>parkedChanges</c>; <c>saveRule</c>, <c>enableRule</c>,
/// <c>disableRule</c>, <c>deleteRule</c>, <c>restoreRuleVersion</c>, <c>testRule</c>, <c>runRule</c>,
/// <c>retryParkedChanges</c>, <c>markNotificationsRead</c>; the subscription <c>notificationReceived</c>.
/// Everything but notifications needs admin rights.
/// </summary>
internal sealed class RulesContributor(RuleService rules, RuleTester tester, ManualRuns manual, RunLog runLog, Notifications notifications, NotificationHub hub, ParkedChanges parked, IOptions<RuleOptions> options) : ISchemaContributor
{
    public int Order => 40;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new RuleGraphTypes(types);
        AddQueries(context, types, graph);
        AddRuleMutations(context, types, graph);
        AddRunMutations(context, types, graph);
        AddParked(context, types, graph);
    }

    private void AddQueries(SchemaBuildContext context, SharedTypes types, RuleGraphTypes graph)
    {
        context.Query.AddField(new FieldType
        {
            Name = "rules",
            Description = "The tenant's rules, by entity and order. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Rule)),
            Arguments = new QueryArguments(
                new QueryArgument(types.String) { Name = "entity" },
                new QueryArgument(types.Boolean) { Name = "includeDeleted", DefaultValue = false }),
            Resolver = Resolve.Async(async (c, crm) => await rules.ListAsync(crm.Session, c.GetArgument<string?>("entity"), c.GetArgument<bool>("includeDeleted"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "rule",
            Description = "One rule by id (deleted ones too) or by name; null when there is none. Needs admin rights.",
            ResolvedType = graph.Rule,
            Arguments = new QueryArguments(new QueryArgument(types.Id) { Name = "id" }, new QueryArgument(types.String) { Name = "name" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var id = c.GetArgument<string?>("id") is { } value ? RuleId(value) : (Guid?)null;
                var name = c.GetArgument<string?>("name");
                return id is null && name is null
                    ? throw new CrmException(ErrorCodes.Required, "Give the rule's id or name.", "id")
                    : await rules.GetAsync(crm.Session, id, name, c.CancellationToken);
            }),
        });
        context.Query.AddField(new FieldType
        {
            Name = "ruleRuns",
            Description = "The run log, newest first: every execution of every rule. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Run)),
            Arguments = new QueryArguments(
                new QueryArgument(types.Id) { Name = "ruleId" },
                new QueryArgument(types.String) { Name = "ruleName" },
                new QueryArgument(types.Id) { Name = "recordId", Description = "A record's global id or UUID." },
                new QueryArgument(graph.Outcome) { Name = "outcome" },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 }),
            Resolver = Resolve.Async(async (c, crm) => await runLog.QueryAsync(crm.Session, new RunLogQuery(
                c.GetArgument<string?>("ruleId") is { } id ? RuleId(id) : null,
                c.GetArgument<string?>("ruleName"),
                c.GetArgument<string?>("recordId") is { } record ? AnyRecordId(record, "recordId") : null,
                c.GetArgument<RuleRunOutcome?>("outcome"),
                c.GetArgument<int>("first")), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "ruleLimits",
            Description = "The sandbox limits every run of this tenant's rules gets (set by the operator).",
            ResolvedType = SharedTypes.NonNull(graph.Limits),
            Resolver = Resolve.Sync(c => options.Value.LimitsFor(c.Crm().Session.TenantId)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "notifications",
            Description = "The caller's notifications from rules (crm.notify), newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Notification)),
            Arguments = new QueryArguments(
                new QueryArgument(types.Boolean) { Name = "unreadOnly", DefaultValue = false },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 },
                new QueryArgument(types.Id) { Name = "userId", Description = "Admins may read another user's notifications." }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var user = crm.Session.Principal.UserId;
                if (c.GetArgument<string?>("userId") is { } other)
                {
                    RuleService.RequireAdmin(crm.Session);
                    user = GlobalId.TryRead(other, GlobalId.UserType, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{other}' is not a user id.", "userId");
                }

                return await notifications.ForUserAsync(crm.Session, user, c.GetArgument<bool>("unreadOnly"), c.GetArgument<int>("first"), c.CancellationToken);
            }),
        });
        context.Subscription.AddField(new FieldType
        {
            Name = "notificationReceived",
            Description = "Each notification sent to you (by rules with crm.notify, by plugins), once the write that sent it committed (over WebSocket, graphql-transport-ws).",
            ResolvedType = SharedTypes.NonNull(graph.Notification),
            Resolver = Resolve.FromSource(s => s),
            StreamResolver = new SourceStreamResolver<object?>(c => hub.For(c.Crm().Session)),
        });
    }

    private void AddParked(SchemaBuildContext context, SharedTypes types, RuleGraphTypes graph)
    {
        context.Query.AddField(new FieldType
        {
            Name = "parkedChanges",
            Description = "Committed changes whose after-rules (or after-hooks) failed every attempt, oldest first, with the last error. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Parked)),
            Arguments = new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 }),
            Resolver = Resolve.Async(async (c, crm) => await parked.ListAsync(crm.Session, c.GetArgument<int>("first"), c.CancellationToken)),
        });
        context.Mutation.AddField(new FieldType
        {
            Name = "retryParkedChanges",
            Description = "Gives parked changes a fresh set of attempts, starting now (fix the failing rule first). Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(graph.RetryPayload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(types.Long))) { Name = "sequences" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    return new RetryOutcome(await parked.RetryAsync(crm.Session, c.GetArgument<List<long>>("sequences"), c.CancellationToken), []);
                }
                catch (CrmException e)
                {
                    return new RetryOutcome(0, e.Errors);
                }
            }),
        });
    }

    private void AddRuleMutations(SchemaBuildContext context, SharedTypes types, RuleGraphTypes graph)
    {
        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        RuleMutation(context, graph, "saveRule", "Creates a rule, or saves a new version of one; earlier versions stay for restoreRuleVersion. Scripts that don't parse are refused with line and column.",
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.SaveInput)) { Name = "input" }),
            (c, crm) =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var ruleId = input.GetValueOrDefault("id") is string value ? RuleId(value) : (Guid?)null;
                return rules.SaveAsync(crm.Session, ruleId, Definition(input), input.GetValueOrDefault("enabled") as bool?, c.CancellationToken);
            });
        RuleMutation(context, graph, "enableRule", "Makes a rule run on its triggers again.", new QueryArguments(id),
            (c, crm) => rules.EnableAsync(crm.Session, RuleId(c.GetArgument<string>("id")), c.CancellationToken));
        RuleMutation(context, graph, "disableRule", "Stops a rule from running; it keeps its versions.", new QueryArguments(id),
            (c, crm) => rules.DisableAsync(crm.Session, RuleId(c.GetArgument<string>("id")), c.CancellationToken));
        RuleMutation(context, graph, "deleteRule", "Deletes a rule: it stops running and its name is free; its versions and runs stay readable.", new QueryArguments(id),
            (c, crm) => rules.DeleteAsync(crm.Session, RuleId(c.GetArgument<string>("id")), c.CancellationToken));
        RuleMutation(context, graph, "restoreRuleVersion", "Makes an earlier version current again, as a new version.",
            new QueryArguments(id, new QueryArgument(SharedTypes.NonNull(types.Int)) { Name = "version" }),
            (c, crm) => rules.RestoreVersionAsync(crm.Session, RuleId(c.GetArgument<string>("id")), c.GetArgument<int>("version"), c.CancellationToken));
    }

    private void AddRunMutations(SchemaBuildContext context, SharedTypes types, RuleGraphTypes graph)
    {
        context.Mutation.AddField(new FieldType
        {
            Name = "testRule",
            Description = "Dry run: runs a rule (saved, or a script) against a real record and reports what it would do. Nothing is written, logged or sent. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(graph.TestPayload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.TestInput)) { Name = "input" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    var input = c.GetArgument<Dictionary<string, object?>>("input");
                    var request = TestRequest(input, crm.Session.Metadata);
                    var (result, syntax) = await tester.TestAsync(crm.Session, request, c.CancellationToken);
                    return new TestOutcome(result, syntax, syntax is null ? [] : [new CrmError(RuleErrorCodes.SyntaxError, syntax.Message, syntax.Part)]);
                }
                catch (CrmException e)
                {
                    return new TestOutcome(null, null, e.Errors);
                }
            }),
        });
        context.Mutation.AddField(new FieldType
        {
            Name = "runRule",
            Description = $"Runs a rule now on up to {ManualRuns.MaxIds} records, each in its own transaction; what it changes is saved. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(graph.RunPayload),
            Arguments = new QueryArguments(
                new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "name" },
                new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(types.Id))) { Name = "ids" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    var name = c.GetArgument<string>("name");
                    var rule = await rules.GetAsync(crm.Session, null, name, c.CancellationToken)
                        ?? throw new CrmException(ErrorCodes.NotFound, $"There is no rule named '{name}'.", "name");
                    var entity = rule.Definition.Entity;
                    var ids = c.GetArgument<List<string>>("ids").Select(i => GlobalId.TryRead(i, entity, out var g) ? g : throw new CrmException(ErrorCodes.InvalidId, $"'{i}' is not the id of a {entity} record.", "ids")).ToList();
                    var results = await manual.RunAsync(crm.Session, name, ids, c.CancellationToken);
                    return new RunOutcome(results.Select(r => new RecordResultSource(entity, r)).ToList(), []);
                }
                catch (CrmException e)
                {
                    return new RunOutcome([], e.Errors);
                }
            }),
        });
        context.Mutation.AddField(new FieldType
        {
            Name = "markNotificationsRead",
            Description = "Marks some of the caller's notifications read.",
            ResolvedType = SharedTypes.NonNull(graph.MarkReadPayload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(types.Id))) { Name = "ids" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    var ids = c.GetArgument<List<string>>("ids").Select(i => GlobalId.TryRead(i, RuleGraphTypes.NotificationType, out var g) ? g : throw new CrmException(ErrorCodes.InvalidId, $"'{i}' is not a notification id.", "ids")).ToList();
                    return new MarkReadOutcome(await notifications.MarkReadAsync(crm.Session, crm.Session.Principal.UserId, ids, c.CancellationToken), []);
                }
                catch (CrmException e)
                {
                    return new MarkReadOutcome(0, e.Errors);
                }
            }),
        });
    }

    private static void RuleMutation(SchemaBuildContext context, RuleGraphTypes graph, string name, string description, QueryArguments arguments, Func<IResolveFieldContext, CrmUserContext, Task<RuleChangeResult>> change) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description + " Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(graph.RulePayload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    return await change(c, crm);
                }
                catch (CrmException e)
                {
                    return new RuleChangeResult(null, e.Errors);
                }
            }),
        });

    private static RuleDefinition Definition(Dictionary<string, object?> input) => new()
    {
        Name = input.GetValueOrDefault("name") as string ?? string.Empty,
        Entity = input.GetValueOrDefault("entity") as string ?? string.Empty,
        Triggers = (input.GetValueOrDefault("triggers") as IEnumerable<object?> ?? []).OfType<RuleTrigger>().ToList(),
        Condition = input.GetValueOrDefault("condition") as string,
        Script = input.GetValueOrDefault("script") as string ?? string.Empty,
        Schedule = input.GetValueOrDefault("schedule") as string,
        TimeZone = input.GetValueOrDefault("timeZone") as string,
        Filter = input.GetValueOrDefault("filter") is { } filter ? JsonSerializer.Serialize(Plain(filter)) : null,
        Description = input.GetValueOrDefault("description") as string,
        Order = input.GetValueOrDefault("order") as int? ?? 0,
    };

    private static RuleTestRequest TestRequest(Dictionary<string, object?> input, Engine.Metadata.MetadataSnapshot metadata)
    {
        var ruleId = input.GetValueOrDefault("ruleId") is string rule ? RuleId(rule) : (Guid?)null;
        var entity = input.GetValueOrDefault("entity") as string;
        Guid? recordId = null;
        if (input.GetValueOrDefault("recordId") is string record)
        {
            // A global id names its entity; a bare UUID needs the entity from the rule or the input.
            recordId = AnyRecordId(record, "recordId");
            if (entity is null && GlobalId.TryDecode(record, out var decoded, out _) && metadata.Find(decoded) is not null)
            {
                entity = decoded;
            }
        }

        return new RuleTestRequest
        {
            RuleId = ruleId,
            Entity = entity,
            Script = input.GetValueOrDefault("script") as string,
            Condition = input.GetValueOrDefault("condition") as string,
            Trigger = input.GetValueOrDefault("trigger") as RuleTrigger?,
            RecordId = recordId,
            Record = Plain(input.GetValueOrDefault("record")) as IReadOnlyDictionary<string, object?>,
            Changes = Plain(input.GetValueOrDefault("changes")) as IReadOnlyDictionary<string, object?>,
        };
    }

    /// <summary>JSON scalar input (dictionaries, lists, JsonElements) as plain CLR values.</summary>
    private static object? Plain(object? value) => value switch
    {
        null => null,
        JsonElement json => RuleValidator.ParseFilter(json.GetRawText()),
        IDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal),
        string => value,
        IEnumerable<object?> list => list.Select(Plain).ToList(),
        _ => value,
    };

    private static Guid RuleId(string value) =>
        GlobalId.TryRead(value, RuleGraphTypes.RuleType, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a rule id.", "id");

    private static Guid AnyRecordId(string value, string argument) =>
        GlobalId.TryDecode(value, out _, out var id) || Guid.TryParse(value, out id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a record id.", argument);
}
