using CrmEngine.Approvals.Processes;
using CrmEngine.Approvals.Requests;
using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Types;
using CrmEngine.Sdk.Approvals;
using GraphQL.Types;

namespace CrmEngine.Approvals.Api;

/// <summary>The graph types of approval processes, requests and delegations; made anew for every schema build.</summary>
internal sealed class ApprovalGraphTypes
{
    public const string ProcessType = "ApprovalProcess";
    public const string RequestType = "ApprovalRequest";
    public const string TeamType = "team";

    public ApprovalGraphTypes(SharedTypes types)
    {
        var text = SharedTypes.NonNull(types.String);
        var id = SharedTypes.NonNull(types.Id);
        var flag = SharedTypes.NonNull(types.Boolean);
        var instant = SharedTypes.NonNull(types.DateTime);
        var texts = SharedTypes.NonNull(SharedTypes.ListOf(types.String));
        Mode = new EnumerationGraphType<ApprovalMode> { Name = "ApprovalMode", Description = "ANY: one approver decides the step; ALL: every approver must approve (one rejection rejects)." };
        Kind = new EnumerationGraphType<ApproverKind> { Name = "ApproverKind", Description = "ROLE (its holders), OWNERS_MANAGER (the managers of the owner's teams), USER (one user), TEAM (its members), RESOLVED (picked by a plugin's code)." };
        Status = new EnumerationGraphType<ApprovalRequestStatus> { Name = "ApprovalRequestStatus", Description = "Where an approval request is." };
        Action = new EnumerationGraphType<ApprovalAction> { Name = "ApprovalAction", Description = "What a line of an approval history records." };
        var approver = SharedTypes.SourceObject("Approver", "Where a step's approvers come from.",
            ("kind", SharedTypes.NonNull(Kind), s => ((Approver)s).Kind),
            ("role", types.String, s => ((Approver)s) is { Kind: ApproverKind.Role } a ? a.Reference : null),
            ("userId", types.Id, s => ((Approver)s) is { Kind: ApproverKind.User } a ? Encode(GlobalId.UserType, a.Reference) : null),
            ("teamId", types.Id, s => ((Approver)s) is { Kind: ApproverKind.Team } a ? Encode(TeamType, a.Reference) : null),
            ("description", types.String, s => ((Approver)s) is { Kind: ApproverKind.Resolved } a ? a.Reference : null));
        var step = SharedTypes.SourceObject("ApprovalStep", "A step of a process; when it has a condition (when, in the entity's filter form), records that don't meet it skip the step.",
            ("name", text, s => ((StepView)s).Name),
            ("mode", SharedTypes.NonNull(Mode), s => ((StepView)s).Mode),
            ("when", types.Json, s => ((StepView)s).When),
            ("approvers", SharedTypes.NonNull(SharedTypes.ListOf(approver)), s => ((StepView)s).Approvers));
        var statusField = SharedTypes.SourceObject("ApprovalStatusField", "The field a process keeps up to date on its record, and the values it sets (null: left as it is).",
            ("field", text, s => ((ApprovalStatusField)s).Field),
            ("pending", types.String, s => ((ApprovalStatusField)s).Pending),
            ("approved", text, s => ((ApprovalStatusField)s).Approved),
            ("rejected", text, s => ((ApprovalStatusField)s).Rejected),
            ("recalled", types.String, s => ((ApprovalStatusField)s).Recalled));
        Process = SharedTypes.SourceObject(ProcessType, "An approval process: records of its entity meeting its criteria are submitted to it and go through its steps in order.",
            ("id", types.Id, s => P(s).Id is { } processId ? GlobalId.Encode(ProcessType, processId) : null),
            ("name", text, s => P(s).Name),
            ("entity", text, s => P(s).Entity),
            ("plugin", types.String, s => P(s).PluginId),
            ("active", flag, s => P(s).Active),
            ("criteria", types.Json, s => P(s).Stored?.Criteria),
            ("steps", SharedTypes.NonNull(SharedTypes.ListOf(step)), s => StepView.Of(P(s))),
            ("lockedFields", texts, s => P(s).LockedFields),
            ("statusField", statusField, s => P(s).Status),
            ("adminsMayApprove", flag, s => P(s).AdminsMayApprove),
            ("ownerMayApprove", flag, s => P(s).OwnerMayApprove));
        var historyLine = SharedTypes.SourceObject("ApprovalEvent", "A line of a request's history: who did what at which step, when, and why.",
            ("action", SharedTypes.NonNull(Action), s => Enum.Parse<ApprovalAction>(E(s).Action)),
            ("step", types.Int, s => E(s).Step),
            ("stepName", types.String, s => E(s).StepName),
            ("actorId", id, s => GlobalId.Encode(GlobalId.UserType, E(s).ActorId)),
            ("onBehalfOf", types.Id, s => E(s).OnBehalfOf is { } user ? GlobalId.Encode(GlobalId.UserType, user) : null),
            ("comment", types.String, s => E(s).Comment),
            ("at", instant, s => Utc(E(s).At)));
        Request = SharedTypes.SourceObject(RequestType, "A record's submission to an approval process.",
            ("id", id, s => GlobalId.Encode(RequestType, V(s).Request.Id)),
            ("process", text, s => V(s).Request.Process),
            ("entity", text, s => V(s).Request.Entity),
            ("recordId", id, s => GlobalId.Encode(V(s).Request.Entity, V(s).Request.RecordId)),
            ("status", SharedTypes.NonNull(Status), s => Enum.Parse<ApprovalRequestStatus>(V(s).Request.Status)),
            ("step", types.Int, s => V(s).Request.StepName is null ? null : V(s).Request.Step),
            ("stepName", types.String, s => V(s).Request.StepName),
            ("submittedBy", id, s => GlobalId.Encode(GlobalId.UserType, V(s).Request.SubmittedBy)),
            ("submittedAt", instant, s => Utc(V(s).Request.SubmittedAt)),
            ("comment", types.String, s => V(s).Request.Comment),
            ("decidedAt", types.DateTime, s => Utc(V(s).Request.DecidedAt)),
            ("pendingApprovers", SharedTypes.NonNull(SharedTypes.ListOf(types.Id)), s => V(s).PendingApprovers.Select(u => GlobalId.Encode(GlobalId.UserType, u)).ToList()),
            ("onBehalfOf", types.Id, s => V(s).OnBehalfOf is { } user ? GlobalId.Encode(GlobalId.UserType, user) : null),
            ("history", SharedTypes.NonNull(SharedTypes.ListOf(historyLine)), s => V(s).History));
        Delegation = SharedTypes.SourceObject("ApprovalDelegation", "The caller's approvals handed to a delegate for a period.",
            ("delegateId", id, s => GlobalId.Encode(GlobalId.UserType, ((ApprovalDelegationRow)s).DelegateId)),
            ("from", instant, s => Utc(((ApprovalDelegationRow)s).From)),
            ("until", instant, s => Utc(((ApprovalDelegationRow)s).Until)));
        var approverInput = SharedTypes.Input("ApproverInput", "Where approvers come from: kind ROLE with role, OWNERS_MANAGER, USER with userId, TEAM with teamId.",
            ("kind", SharedTypes.NonNull(Kind)), ("role", types.String), ("userId", types.Id), ("teamId", types.Id));
        var stepInput = SharedTypes.Input("ApprovalStepInput", "A step: its name, ANY or ALL (ANY by default), its approvers, and when it applies (the entity's filter form; left out: always).",
            ("name", text), ("mode", Mode), ("when", types.Json), ("approvers", SharedTypes.NonNull(SharedTypes.ListOf(approverInput))));
        var statusInput = SharedTypes.Input("ApprovalStatusFieldInput", "A field the process sets through the record pipeline: pending on submission, approved, rejected, recalled (left out: not set).",
            ("field", text), ("pending", types.String), ("approved", text), ("rejected", text), ("recalled", types.String));
        ProcessInput = SharedTypes.Input("ApprovalProcessInput", "A whole approval process. criteria: which records enter it, in the entity's filter form (as a list query's filter), left out: every record. active defaults to true; admins and owners may not approve unless allowed.",
            ("name", text), ("entity", text), ("active", types.Boolean), ("criteria", types.Json),
            ("steps", SharedTypes.NonNull(SharedTypes.ListOf(stepInput))), ("lockedFields", SharedTypes.ListOf(types.String)),
            ("statusField", statusInput), ("adminsMayApprove", types.Boolean), ("ownerMayApprove", types.Boolean));
        ProcessPayload = Payload("ApprovalProcessPayload", ("approvalProcess", Process, o => o.Value), ("userErrors", types.UserErrors, o => o.Errors));
        RequestPayload = Payload("ApprovalRequestPayload", ("request", Request, o => o.Value), ("userErrors", types.UserErrors, o => o.Errors));
        DelegationPayload = Payload("ApprovalDelegationPayload", ("delegation", Delegation, o => o.Value), ("userErrors", types.UserErrors, o => o.Errors));
    }

    public EnumerationGraphType<ApprovalMode> Mode { get; }

    public EnumerationGraphType<ApproverKind> Kind { get; }

    public EnumerationGraphType<ApprovalRequestStatus> Status { get; }

    public EnumerationGraphType<ApprovalAction> Action { get; }

    public ObjectGraphType Process { get; }

    public ObjectGraphType Request { get; }

    public ObjectGraphType Delegation { get; }

    public InputObjectGraphType ProcessInput { get; }

    public ObjectGraphType ProcessPayload { get; }

    public ObjectGraphType RequestPayload { get; }

    public ObjectGraphType DelegationPayload { get; }

    private static ObjectGraphType Payload(string name, params (string Name, IGraphType Type, Func<ApprovalOutcome, object?> Read)[] fields) =>
        SharedTypes.SourceObject(name, "What the mutation did; userErrors say why it did nothing.", [.. fields.Select(f => (f.Name, f.Type, (Func<object, object?>)(s => f.Read((ApprovalOutcome)s))))]);

    private static string? Encode(string type, string? reference) => Guid.TryParse(reference, out var id) ? GlobalId.Encode(type, id) : reference;

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static ApprovalProcess P(object source) => (ApprovalProcess)source;

    private static RequestView V(object source) => (RequestView)source;

    private static ApprovalEventRow E(object source) => (ApprovalEventRow)source;

    /// <summary>A step for the API: an admin's keeps its condition's JSON.</summary>
    private sealed record StepView(string Name, ApprovalMode Mode, System.Text.Json.JsonElement? When, IReadOnlyList<Approver> Approvers)
    {
        public static List<StepView> Of(ApprovalProcess process) => process.Stored is { } stored
            ? stored.Steps.Select(s => new StepView(s.Name, s.Mode, s.When, s.Approvers)).ToList()
            : process.Steps.Select(s => new StepView(s.Name, s.Mode, null, s.Approvers)).ToList();
    }
}

/// <summary>What an approval mutation answers: what it made or changed, or the errors that stopped it.</summary>
internal sealed record ApprovalOutcome(object? Value, IReadOnlyList<CrmError> Errors);
