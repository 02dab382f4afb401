using CrmEngine.Approvals.Processes;
using CrmEngine.Approvals.Requests;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Sdk.Approvals;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Approvals.Api;

/// <summary>
/// Approvals in every tenant's schema: <c>approvalProcesses</c>, <c>saveApprovalProcess</c> and
/// <c>deleteApprovalProcess</c> (admins); <c>submitForApproval</c>, <c>approve</c>, <c>reject</c>,
/// <c>recall</c>, <c>delegateApprovals</c>, <c>myPendingApprovals</c>, <c>approvalHistory</c> and
/// <c>approvalDelegation</c> (everyone, within their rights).
/// </summary>
internal sealed class ApprovalsContributor(ProcessAdmin processes, ApprovalService approvals, ApprovalReads reads, Delegations delegations) : ISchemaContributor
{
    public int Order => 46;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new ApprovalGraphTypes(types);
        var requestId = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "requestId" };
        var comment = new QueryArgument(types.String) { Name = "comment" };
        context.Query.AddField(new FieldType
        {
            Name = "approvalProcesses",
            Description = "The tenant's approval processes (of one entity, when named): admins' and enabled plugins'. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Process)),
            Arguments = new QueryArguments(new QueryArgument(types.String) { Name = "entity" }),
            Resolver = Resolve.Async(async (c, crm) => await processes.ListAsync(crm.Session, c.GetArgument<string?>("entity"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "myPendingApprovals",
            Description = $"Approval requests waiting for the caller's decision, or for someone whose approvals the caller holds by delegation (onBehalfOf names them), oldest first, at most {ApprovalReads.MaxPending}.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Request)),
            Resolver = Resolve.Async(async (c, crm) => await reads.MyPendingAsync(crm.Session, c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "approvalHistory",
            Description = "Every approval request of a record the caller can read, oldest first, each with its whole history (each step's decisions: who, when, comment).",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Request)),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "entity" }, new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var entity = c.GetArgument<string>("entity");
                return await reads.HistoryAsync(crm.Session, entity, GraphKinds.ReadId(c.GetArgument<string>("id"), entity, "id"), c.CancellationToken) ?? throw ApprovalService.NotFound("id");
            }),
        });
        context.Query.AddField(new FieldType
        {
            Name = "approvalDelegation",
            Description = "The caller's delegation of their approvals, if any.",
            ResolvedType = graph.Delegation,
            Resolver = Resolve.Async(async (c, crm) => await delegations.GetAsync(crm.Session, c.CancellationToken)),
        });

        context.AddAdminMutation("saveApprovalProcess", "Creates an approval process, or with id replaces one's definition; the whole definition is checked and refused with typed errors when any part is wrong.",
            graph.ProcessPayload, new QueryArguments(new QueryArgument(types.Id) { Name = "id" }, new QueryArgument(SharedTypes.NonNull(graph.ProcessInput)) { Name = "input" }),
            async (c, crm) => new ApprovalOutcome(await processes.SaveAsync(crm.Session, c.GetArgument<string?>("id") is { } id ? ProcessId(id) : null, Input(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken), []),
            errors => new ApprovalOutcome(null, errors));
        context.AddAdminMutation("deleteApprovalProcess", "Deletes an admin's approval process; its pending requests can then only be recalled.",
            graph.ProcessPayload, new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            async (c, crm) => new ApprovalOutcome(await processes.DeleteAsync(crm.Session, ProcessId(c.GetArgument<string>("id")), c.CancellationToken), []),
            errors => new ApprovalOutcome(null, errors));

        Mutation(context, graph.RequestPayload, "submitForApproval", "Submits a record to the first active approval process (by name) whose criteria it meets; needs the right to update it. Refused with APPROVAL_NO_PROCESS when none takes it, APPROVAL_PENDING when it is pending already.",
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "entity" }, new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }, comment),
            async (c, crm) =>
            {
                var entity = c.GetArgument<string>("entity");
                var request = await approvals.SubmitAsync(crm.Session, entity, GraphKinds.ReadId(c.GetArgument<string>("id"), entity, "id"), c.GetArgument<string?>("comment"), c.CancellationToken);
                return await reads.ViewAsync(crm.Session, request.Id, c.CancellationToken);
            });
        Decision(context, graph, "approve", "Approves the current step of a request as one of its approvers, an approver's delegate, or (when the process allows) an admin.", requestId, comment, approve: true);
        Decision(context, graph, "reject", "Rejects a request at its current step; the comment (why) is required.", requestId, comment, approve: false);
        Mutation(context, graph.RequestPayload, "recall", "Takes a pending request back (its submitter only); the record can be submitted again.",
            new QueryArguments(requestId),
            async (c, crm) => await reads.ViewAsync(crm.Session, (await approvals.RecallAsync(crm.Session, RequestId(c), c.CancellationToken)).Id, c.CancellationToken));
        Mutation(context, graph.DelegationPayload, "delegateApprovals", "Hands the caller's approvals to another user from a time (now by default) until a later one; to left out ends the caller's delegation.",
            new QueryArguments(new QueryArgument(types.Id) { Name = "to" }, new QueryArgument(types.DateTime) { Name = "from" }, new QueryArgument(types.DateTime) { Name = "until" }),
            async (c, crm) => await delegations.SetAsync(crm.Session, c.GetArgument<string?>("to") is { } to ? GraphKinds.ReadId(to, GlobalId.UserType, "to") : null,
                c.GetArgument<DateTime?>("from"), c.GetArgument<DateTime?>("until"), c.CancellationToken));
    }

    private void Decision(SchemaBuildContext context, ApprovalGraphTypes graph, string name, string description, QueryArgument requestId, QueryArgument comment, bool approve) =>
        Mutation(context, graph.RequestPayload, name, description, new QueryArguments(requestId, comment),
            async (c, crm) => await reads.ViewAsync(crm.Session, (await approvals.DecideAsync(crm.Session, RequestId(c), approve, c.GetArgument<string?>("comment"), c.CancellationToken)).Id, c.CancellationToken));

    /// <summary>A mutation whose payload carries what it did or its typed refusal (userErrors).</summary>
    private static void Mutation(SchemaBuildContext context, IGraphType payload, string name, string description, QueryArguments arguments, Func<IResolveFieldContext, CrmUserContext, Task<object?>> run) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    return new ApprovalOutcome(await run(c, crm), []);
                }
                catch (CrmException e)
                {
                    return new ApprovalOutcome(null, e.Errors);
                }
            }),
        });

    private static Guid RequestId(IResolveFieldContext context) =>
        GlobalId.TryRead(context.GetArgument<string>("requestId"), ApprovalGraphTypes.RequestType, out var id) ? id : throw ApprovalService.NotFound("requestId");

    private static Guid ProcessId(string value) =>
        GlobalId.TryRead(value, ApprovalGraphTypes.ProcessType, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not an approval process id.", "id");

    private static ProcessInput Input(Dictionary<string, object?> input) => new(
        (string)input["name"]!,
        (string)input["entity"]!,
        Get(input, "active") as bool? ?? true,
        Get(input, "criteria"),
        ((IEnumerable<object?>)input["steps"]!).OfType<IDictionary<string, object?>>().Select(s => new StepInput(
            (string)s["name"]!,
            Get(s, "mode") as ApprovalMode? ?? ApprovalMode.Any,
            Get(s, "when"),
            ((IEnumerable<object?>)s["approvers"]!).OfType<IDictionary<string, object?>>().Select(Approver).ToList())).ToList(),
        (Get(input, "lockedFields") as IEnumerable<object?> ?? []).OfType<string>().ToList(),
        Get(input, "statusField") is IDictionary<string, object?> status
            ? new ApprovalStatusField((string)status["field"]!, Get(status, "pending") as string, (string)status["approved"]!, (string)status["rejected"]!, Get(status, "recalled") as string)
            : null,
        Get(input, "adminsMayApprove") as bool? ?? false,
        Get(input, "ownerMayApprove") as bool? ?? false);

    private static object? Get(IDictionary<string, object?> input, string name) => input.TryGetValue(name, out var value) ? value : null;

    /// <summary>An approver as stored: a role's name, a user's or team's id (as a UUID); a malformed id stays as given and is refused by the check.</summary>
    private static Approver Approver(IDictionary<string, object?> input)
    {
        var kind = (ApproverKind)input["kind"]!;
        var reference = kind switch
        {
            ApproverKind.Role => Get(input, "role") as string,
            ApproverKind.User => Id(Get(input, "userId") as string, GlobalId.UserType),
            ApproverKind.Team => Id(Get(input, "teamId") as string, ApprovalGraphTypes.TeamType),
            _ => null,
        };
        return new Approver(kind, reference);

        static string? Id(string? value, string type) => GlobalId.TryRead(value, type, out var id) ? id.ToString() : value;
    }
}
