using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Contracts;

/// <summary><c>draftContract(quoteId | opportunityId, ...)</c>: a draft contract taking its account and amount from the quote or opportunity.</summary>
internal sealed class DraftContract : IPluginOperation
{
    public string Name => "draftContract";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Drafts a contract from a quote or an opportunity (account and amount come from it).";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("quoteId", TypeRef.Id), new("opportunityId", TypeRef.Id), new("name", TypeRef.String),
        new("startDate", TypeRef.Date), new("endDate", TypeRef.Date),
    ];

    public TypeRef Result => TypeRef.Entity(ContractEntities.Contract);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var quote = Args.OptionalId(context, "quoteId", QuoteEntities.Quote) is { } quoteId ? await Writes.ExistingAsync(context.Records, QuoteEntities.Quote, quoteId, "quoteId", cancellationToken) : null;
        var opportunityId = Args.OptionalId(context, "opportunityId", OpportunityEntity.Name) ?? quote?.GetValue("opportunity") as Guid?;
        var opportunity = opportunityId is { } id ? await Writes.ExistingAsync(context.Records, OpportunityEntity.Name, id, "opportunityId", cancellationToken) : null;
        var source = quote ?? opportunity ?? throw new OperationException(SalesErrors.InvalidInput, "A contract is drafted from a quote (quoteId) or an opportunity (opportunityId).", "quoteId");
        if (quote?.GetValue<string>("status") == "superseded")
        {
            throw new OperationException(SalesErrors.QuoteNotCurrent, "That quote was superseded; draft the contract from its latest revision.", "quoteId");
        }

        var amount = quote?.GetValue<Money>("total") ?? opportunity?.GetValue<Money>("amount");
        if (amount is null || amount.Amount <= 0)
        {
            throw new OperationException(SalesErrors.InvalidInput, "The quote or opportunity has no amount to contract for.", quote is null ? "opportunityId" : "quoteId");
        }

        var (start, end) = (context.Argument<DateOnly?>("startDate"), context.Argument<DateOnly?>("endDate"));
        if (start is not null && end is not null && end < start)
        {
            throw new OperationException(SalesErrors.InvalidInput, "The contract ends before it starts.", "endDate");
        }

        return await Writes.RequireAsync(context.Records.CreateAsync(ContractEntities.Contract, new FieldValues
        {
            ["name"] = context.Argument<string>("name") is { Length: > 0 } name ? name : $"{source.GetValue<string>("name")} 合同",
            ["account"] = source.GetValue("account"),
            ["opportunity"] = opportunity?.Id,
            ["quote"] = quote?.Id,
            ["amount"] = amount,
            ["startDate"] = start,
            ["endDate"] = end,
            ["ownerId"] = source.OwnerId,
        }, cancellationToken));
    }
}

/// <summary>What the approval steps share: the contract, the approver check, the status change and its log entry.</summary>
internal abstract class ContractStep : IPluginOperation
{
    public abstract string Name { get; }

    public OperationKind Kind => OperationKind.Mutation;

    public abstract string Description { get; }

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The contract."), new("comment", TypeRef.String)];

    public TypeRef Result => TypeRef.Entity(ContractEntities.Contract);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var contract = await Writes.ExistingAsync(context.Records, ContractEntities.Contract, context.RecordId("id", ContractEntities.Contract), "id", cancellationToken);
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var (action, status, changes) = await DecideAsync(context, contract, settings, cancellationToken);
        var now = DateTime.UtcNow;
        changes["status"] = status;
        var updated = await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(ContractEntities.Contract, contract.Id, changes, contract.Version, cancellationToken), "id");
        await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(ContractEntities.Approval, new FieldValues
        {
            ["contract"] = contract.Id,
            ["action"] = action,
            ["comment"] = context.Argument<string>("comment"),
            ["at"] = now,
        }, cancellationToken));
        if (action != "submitted" && contract.OwnerId is { } owner)
        {
            await context.Notifications.NotifyAsync(owner, $"合同「{contract.GetValue<string>("name")}」{(action == "approved" ? "已批准" : "被驳回")}{(context.Argument<string>("comment") is { Length: > 0 } c ? "：" + c : string.Empty)}", ContractEntities.Contract, contract.Id, cancellationToken);
        }

        return await Visibility.AsSeenAsync(context, updated, cancellationToken);
    }

    protected abstract Task<(string Action, string Status, FieldValues Changes)> DecideAsync(IOperationContext context, CrmRecord contract, SalesSettings settings, CancellationToken cancellationToken);

    /// <summary>Approvers: admins, holders of the manager role, and managers of the owner's teams; never the contract's own owner (unless an admin).</summary>
    protected static async Task RequireApproverAsync(IOperationContext context, CrmRecord contract, SalesSettings settings, CancellationToken cancellationToken)
    {
        if (contract.GetValue<string>("status") != "pendingApproval")
        {
            throw new OperationException(SalesErrors.InvalidState, $"Contract {contract.GetValue<string>("number")} is {contract.GetValue<string>("status")}, not pending approval.", "id");
        }

        var ownOwn = contract.OwnerId == context.Identity.UserId && !context.Identity.IsAdmin;
        if (ownOwn || !await Reps.ManagesAsync(context.Identity, context.Directory, settings, contract.OwnerId, cancellationToken))
        {
            throw new OperationException(SalesErrors.NotApprover, $"Contracts are approved by an admin, a holder of the '{settings.ManagerRole}' role, or the owner's team manager, and never by their own owner.", "id");
        }
    }
}

/// <summary><c>submitContract(id)</c>: the owner (or a manager) sends a draft or rejected contract for approval.</summary>
internal sealed class SubmitContract : ContractStep
{
    public override string Name => "submitContract";

    public override string Description => "Submits a draft (or rejected) contract for approval.";

    protected override async Task<(string, string, FieldValues)> DecideAsync(IOperationContext context, CrmRecord contract, SalesSettings settings, CancellationToken cancellationToken)
    {
        if (contract.GetValue<string>("status") is not ("draft" or "rejected"))
        {
            throw new OperationException(SalesErrors.InvalidState, $"Contract {contract.GetValue<string>("number")} is {contract.GetValue<string>("status")}; only drafts and rejected contracts are submitted.", "id");
        }

        if (contract.OwnerId != context.Identity.UserId && !await Reps.ManagesAsync(context.Identity, context.Directory, settings, contract.OwnerId, cancellationToken))
        {
            throw new OperationException(SalesErrors.Forbidden, "Only the contract's owner or their manager submits it.", "id");
        }

        return ("submitted", "pendingApproval", new FieldValues { ["submittedAt"] = DateTime.UtcNow, ["decidedAt"] = null, ["decisionComment"] = null });
    }
}

/// <summary><c>approveContract(id, comment)</c>.</summary>
internal sealed class ApproveContract : ContractStep
{
    public override string Name => "approveContract";

    public override string Description => "Approves a contract pending approval (admins, the manager role, the owner's team manager).";

    protected override async Task<(string, string, FieldValues)> DecideAsync(IOperationContext context, CrmRecord contract, SalesSettings settings, CancellationToken cancellationToken)
    {
        await RequireApproverAsync(context, contract, settings, cancellationToken);
        return ("approved", "approved", new FieldValues { ["decidedAt"] = DateTime.UtcNow, ["decisionComment"] = context.Argument<string>("comment") });
    }
}

/// <summary><c>rejectContract(id, comment)</c>: the comment (why) is required.</summary>
internal sealed class RejectContract : ContractStep
{
    public override string Name => "rejectContract";

    public override string Description => "Rejects a contract pending approval, saying why (comment is required).";

    protected override async Task<(string, string, FieldValues)> DecideAsync(IOperationContext context, CrmRecord contract, SalesSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(context.Argument<string>("comment")))
        {
            throw new OperationException(SalesErrors.ReasonRequired, "Say why the contract is rejected (comment).", "comment");
        }

        await RequireApproverAsync(context, contract, settings, cancellationToken);
        return ("rejected", "rejected", new FieldValues { ["decidedAt"] = DateTime.UtcNow, ["decisionComment"] = context.Argument<string>("comment") });
    }
}
