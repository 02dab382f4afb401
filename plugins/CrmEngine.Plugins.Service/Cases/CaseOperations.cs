using CrmEngine.Plugins.Service.Care;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Escalation;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary><c>moveServiceCase(id, status, resolution)</c>: moves a case along its lifecycle.</summary>
internal sealed class MoveServiceCase(TimeProvider time, ILinkSigner links) : IPluginOperation
{
    public string Name => "moveServiceCase";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Moves a case along its lifecycle (new → open → pendingCustomer / onHold → resolved → closed; resolved → open reopens). Resolving needs a resolution, and complaints and disputes an escalation first.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull()),
        new("status", TypeRef.String.NonNull(), "open, pendingCustomer, onHold, resolved or closed."),
        new("resolution", TypeRef.String, "How it was resolved; required when resolving."),
    ];

    public TypeRef Result => TypeRef.Entity(CaseEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var @case = await Writes.ExistingAsync(context, CaseEntity.Name, "id", cancellationToken);
        var to = context.Argument<string>("status") ?? string.Empty;
        if (!CaseLifecycle.Statuses.Contains(to) || to == CaseLifecycle.New)
        {
            throw new OperationException(ServiceErrors.InvalidInput, $"'{to}' is not a status a case can move to (open, pendingCustomer, onHold, resolved, closed).", "status");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var values = await CaseLifecycle.MoveAsync(context.PrivilegedRecords, @case, to, now, context.Argument<string>("resolution"), cancellationToken);
        if (to == CaseLifecycle.Resolved && await SatisfactionSurvey.SendAsync(context, links, @case, now, cancellationToken) is { } sent)
        {
            values["csatSentAt"] = sent;
        }

        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(CaseEntity.Name, @case.Id, values, cancellationToken: cancellationToken));
        return await context.Records.GetAsync(CaseEntity.Name, @case.Id, cancellationToken);
    }
}

/// <summary><c>respondToServiceCase(id, body)</c>: an agent's answer to the customer, logged on the case; the first one meets the first response target.</summary>
internal sealed class RespondToServiceCase(TimeProvider time) : IPluginOperation
{
    public string Name => "respondToServiceCase";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Logs an agent's answer to the customer on a case; the first answer stops the first response clock, a later one the next response clock a customer's reply started, and a new case becomes open.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull()), new("body", TypeRef.String.NonNull(), "What the agent answered.")];

    public TypeRef Result => TypeRef.Entity(CaseEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var @case = await Writes.ExistingAsync(context, CaseEntity.Name, "id", cancellationToken);
        var body = context.Argument<string>("body");
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new OperationException(ServiceErrors.InvalidInput, "An answer needs a text.", "body");
        }

        if (@case.GetValue<string>("status") is CaseLifecycle.Closed)
        {
            throw new OperationException(ServiceErrors.CaseClosed, $"Case {@case.GetValue<string>("number")} is closed.", "id");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var values = @case.GetValue<string>("status") == CaseLifecycle.New
            ? await CaseLifecycle.MoveAsync(context.PrivilegedRecords, @case, CaseLifecycle.Open, now, null, cancellationToken)
            : [];
        if (@case.GetValue("firstRespondedAt") is null)
        {
            values["firstRespondedAt"] = now;
        }

        CaseLifecycle.Answered(@case, values, now);
        values = await CaseLifecycle.WithClockAsync(context.PrivilegedRecords, @case, values, now, cancellationToken);
        await Writes.RequireAsync(context.Records.CreateAsync(CaseMessageEntity.Name, new FieldValues { ["case"] = @case.Id, ["direction"] = "outbound", ["body"] = body.Trim(), ["at"] = now }, cancellationToken));
        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(CaseEntity.Name, @case.Id, values, cancellationToken: cancellationToken));

        return await context.Records.GetAsync(CaseEntity.Name, @case.Id, cancellationToken);
    }
}

/// <summary><c>escalateServiceCase(id, reason, to)</c>: hands a case up (to a team lead), one priority higher, with why.</summary>
internal sealed class EscalateServiceCase(TimeProvider time) : IPluginOperation
{
    public string Name => "escalateServiceCase";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Escalates a case with a reason: one priority higher (the SLA targets of that priority apply), optionally handed to another user (a team lead). Complaints and disputes must be escalated before they are resolved.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull()),
        new("reason", TypeRef.String.NonNull(), "Why it is escalated."),
        new("to", TypeRef.Id, "The user who takes it over (its new owner)."),
    ];

    public TypeRef Result => TypeRef.Entity(CaseEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var @case = await Writes.ExistingAsync(context, CaseEntity.Name, "id", cancellationToken);
        var reason = context.Argument<string>("reason");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new OperationException(ServiceErrors.ReasonRequired, "Say why the case is escalated.", "reason");
        }

        if (@case.GetValue<string>("status") is CaseLifecycle.Resolved or CaseLifecycle.Closed)
        {
            throw new OperationException(@case.GetValue<string>("status") == CaseLifecycle.Closed ? ServiceErrors.CaseClosed : ServiceErrors.InvalidTransition, $"Case {@case.GetValue<string>("number")} is {@case.GetValue<string>("status")}; reopen it to escalate it.", "id");
        }

        Guid? to = null;
        if (context.Arguments.GetValueOrDefault("to") is string { Length: > 0 })
        {
            to = context.UserId("to");
            if (await context.Directory.GetUserAsync(to.Value, cancellationToken) is not { Active: true })
            {
                throw new OperationException(ServiceErrors.NotFound, "There is no active user with that id.", "to");
            }
        }

        await Escalations.EscalateAsync(context.PrivilegedRecords, @case, reason.Trim(), to, true, null, time.GetUtcNow().UtcDateTime, cancellationToken);
        return await context.Records.GetAsync(CaseEntity.Name, @case.Id, cancellationToken);
    }
}
