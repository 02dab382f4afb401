using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Routing;

/// <summary><c>assignServiceCase(id)</c>: routes a case to the most competent idle agent of its queue, storing why.</summary>
internal sealed class AssignServiceCase(TimeProvider time) : IPluginOperation
{
    private static readonly string[] OpenStatuses = [CaseLifecycle.New, CaseLifecycle.Open, CaseLifecycle.PendingCustomer, CaseLifecycle.OnHold];

    public string Name => "assignServiceCase";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Assigns a case to the agent of its queue (all agents without one) who is online, has the skills it needs, speaks its language and is under their cap, with the least load (open cases weighted by priority), round robin on a tie. The case's owner becomes that agent and assignmentReason says why.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Entity(CaseEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var @case = await Writes.ExistingAsync(context, CaseEntity.Name, "id", cancellationToken);
        if (@case.GetValue<string>("status") is CaseLifecycle.Resolved or CaseLifecycle.Closed)
        {
            throw new OperationException(@case.GetValue<string>("status") == CaseLifecycle.Closed ? ServiceErrors.CaseClosed : ServiceErrors.InvalidTransition, $"Case {@case.GetValue<string>("number")} is {@case.GetValue<string>("status")}: there is nothing to assign.", "id");
        }

        var records = context.PrivilegedRecords;
        var agents = await records.FindAsync(RoutingEntities.Agent, @case.GetValue("queue") is Guid queue ? Condition.Eq("queue", queue) : null, 500, cancellationToken);
        var owners = agents.Where(a => a.OwnerId is not null).Select(a => (object?)a.OwnerId!.Value).ToList();
        var loads = new Dictionary<Guid, (int Open, int Load)>();
        if (owners.Count > 0)
        {
            await foreach (var open in records.QueryAllAsync(CaseEntity.Name, Condition.In("ownerId", owners).And(Condition.In("status", OpenStatuses)).And(Condition.Ne("id", @case.Id)), cancellationToken: cancellationToken))
            {
                var (count, load) = loads.GetValueOrDefault(open.OwnerId!.Value);
                loads[open.OwnerId.Value] = (count + 1, load + CaseRouter.PriorityWeights.GetValueOrDefault(open.GetValue<string>("priority") ?? "normal", 2));
            }
        }

        var candidates = agents.Where(a => a.OwnerId is not null).Select(a => new AgentCandidate(
            a.OwnerId!.Value, a.Id, a.GetValue<string>("name")!, a.GetValue<string>("presence") ?? "offline", CaseRouter.Skills(a.GetValue<string>("skills")),
            (a.GetValue<IReadOnlyList<string>>("languages") ?? []).ToHashSet(), loads.GetValueOrDefault(a.OwnerId.Value).Open, loads.GetValueOrDefault(a.OwnerId.Value).Load,
            a.GetValue<long?>("maxOpenCases") ?? 10, a.GetValue<DateTime?>("lastAssignedAt"))).ToList();
        var decision = CaseRouter.Choose(candidates, CaseRouter.Skills(@case.GetValue<string>("requiredSkills")), @case.GetValue<string>("language"));
        if (decision.Agent is not { } agent)
        {
            throw new OperationException(ServiceErrors.NoAgent, decision.Reason, "id");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues { ["ownerId"] = agent.UserId, ["assignedAt"] = now, ["assignmentReason"] = decision.Reason }, cancellationToken: cancellationToken));
        await Writes.RequireAsync(records.UpdateAsync(RoutingEntities.Agent, agent.AgentId, new FieldValues { ["lastAssignedAt"] = now }, cancellationToken: cancellationToken));
        return await context.Records.GetAsync(CaseEntity.Name, @case.Id, cancellationToken);
    }
}
