using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// Deciding a pending registration through the engine's approval service, which says who may (the
/// channelManager role, the submitter's team manager, admins) and keeps the history; the decision's
/// status write runs <see cref="RegistrationApproval"/> (protection) on its way.
/// </summary>
internal abstract class RegistrationDecision : IPluginOperation
{
    public abstract string Name { get; }

    public OperationKind Kind => OperationKind.Mutation;

    public abstract string Description { get; }

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The registration."), new("comment", TypeRef.String)];

    public TypeRef Result => TypeRef.Entity(RegistrationEntities.Registration);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var registration = await Writes.ExistingAsync(context, RegistrationEntities.Registration, "id", cancellationToken);
        if (await context.Approvals.FindPendingAsync(RegistrationEntities.Registration, registration.Id, cancellationToken) is not { } request)
        {
            throw new OperationException(PartnerErrors.InvalidState, $"Registration {registration.GetValue<string>("number")} is {registration.GetValue<string>("status")}, not pending approval.", "id");
        }

        await DecideAsync(context, request.Id, context.Argument<string>("comment"), cancellationToken);
        return await context.Records.GetAsync(RegistrationEntities.Registration, registration.Id, cancellationToken);
    }

    protected abstract Task DecideAsync(IOperationContext context, Guid requestId, string? comment, CancellationToken cancellationToken);
}

/// <summary><c>approveDealRegistration(id, comment)</c>: protected from today for the tenant's protection period.</summary>
internal sealed class ApproveDealRegistration : RegistrationDecision
{
    public override string Name => "approveDealRegistration";

    public override string Description => "Approves a pending deal registration; it is protected for the tenant's protection period (protectionDays).";

    protected override Task DecideAsync(IOperationContext context, Guid requestId, string? comment, CancellationToken cancellationToken) =>
        context.Approvals.ApproveAsync(requestId, comment, cancellationToken);
}

/// <summary><c>rejectDealRegistration(id, comment)</c>: the comment (why) is required.</summary>
internal sealed class RejectDealRegistration : RegistrationDecision
{
    public override string Name => "rejectDealRegistration";

    public override string Description => "Rejects a pending deal registration, saying why (comment is required).";

    protected override Task DecideAsync(IOperationContext context, Guid requestId, string? comment, CancellationToken cancellationToken) =>
        context.Approvals.RejectAsync(requestId, comment ?? string.Empty, cancellationToken);
}
