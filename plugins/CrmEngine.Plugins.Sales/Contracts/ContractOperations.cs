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

/// <summary>
/// What the approval steps share: the contract, the step itself (through the engine's approval
/// service, which keeps the status, the lock on the terms while pending, who may decide, and the
/// history), the dates and comment the contract shows, its log entry and the owner's notification.
/// </summary>
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
        var comment = context.Argument<string>("comment");
        var (action, changes) = await DecideAsync(context, contract, comment, cancellationToken);
        var updated = await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(ContractEntities.Contract, contract.Id, changes, cancellationToken: cancellationToken), "id");
        await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(ContractEntities.Approval, new FieldValues
        {
            ["contract"] = contract.Id,
            ["action"] = action,
            ["comment"] = comment,
            ["at"] = DateTime.UtcNow,
        }, cancellationToken));
        if (action != "submitted" && contract.OwnerId is { } owner)
        {
            await context.Notifications.NotifyAsync(owner, $"合同「{contract.GetValue<string>("name")}」{(action == "approved" ? "已批准" : "被驳回")}{(comment is { Length: > 0 } c ? "：" + c : string.Empty)}", ContractEntities.Contract, contract.Id, cancellationToken);
        }

        return await Visibility.AsSeenAsync(context, updated, cancellationToken);
    }

    /// <summary>Takes the step through the approval service; returns the log's action and the contract's own fields to set.</summary>
    protected abstract Task<(string Action, FieldValues Changes)> DecideAsync(IOperationContext context, CrmRecord contract, string? comment, CancellationToken cancellationToken);

    /// <summary>The contract's pending request, decided by the caller; the service says who may (the process's approvers, admins), and never the owner.</summary>
    protected static async Task DecidePendingAsync(IOperationContext context, CrmRecord contract, Func<Guid, Task> decide)
    {
        if (contract.GetValue<string>("status") != "pendingApproval" || await context.Approvals.FindPendingAsync(ContractEntities.Contract, contract.Id) is not { } request)
        {
            throw new OperationException(SalesErrors.InvalidState, $"Contract {contract.GetValue<string>("number")} is {contract.GetValue<string>("status")}, not pending approval.", "id");
        }

        try
        {
            await decide(request.Id);
        }
        catch (OperationException e) when (e.Code == "APPROVAL_NOT_APPROVER")
        {
            throw new OperationException(SalesErrors.NotApprover, "Contracts are approved by an admin, a holder of the tenant's manager role, or the owner's team manager, and never by their own owner.", "id");
        }
    }
}

/// <summary><c>submitContract(id)</c>: the owner (or a manager) sends a draft or rejected contract for approval.</summary>
internal sealed class SubmitContract : ContractStep
{
    public override string Name => "submitContract";

    public override string Description => "Submits a draft (or rejected) contract for approval.";

    protected override async Task<(string, FieldValues)> DecideAsync(IOperationContext context, CrmRecord contract, string? comment, CancellationToken cancellationToken)
    {
        if (contract.GetValue<string>("status") is not ("draft" or "rejected"))
        {
            throw new OperationException(SalesErrors.InvalidState, $"Contract {contract.GetValue<string>("number")} is {contract.GetValue<string>("status")}; only drafts and rejected contracts are submitted.", "id");
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        if (contract.OwnerId != context.Identity.UserId && !await Reps.ManagesAsync(context.Identity, context.Directory, settings, contract.OwnerId, cancellationToken))
        {
            throw new OperationException(SalesErrors.Forbidden, "Only the contract's owner or their manager submits it.", "id");
        }

        await context.Approvals.SubmitAsync(ContractEntities.Contract, contract.Id, comment, cancellationToken);
        return ("submitted", new FieldValues { ["submittedAt"] = DateTime.UtcNow, ["decidedAt"] = null, ["decisionComment"] = null });
    }
}

/// <summary><c>approveContract(id, comment)</c>.</summary>
internal sealed class ApproveContract : ContractStep
{
    public override string Name => "approveContract";

    public override string Description => "Approves a contract pending approval (admins, the manager role, the owner's team manager).";

    protected override async Task<(string, FieldValues)> DecideAsync(IOperationContext context, CrmRecord contract, string? comment, CancellationToken cancellationToken)
    {
        await DecidePendingAsync(context, contract, id => context.Approvals.ApproveAsync(id, comment, cancellationToken));
        return ("approved", new FieldValues { ["decidedAt"] = DateTime.UtcNow, ["decisionComment"] = comment });
    }
}

/// <summary><c>rejectContract(id, comment)</c>: the comment (why) is required.</summary>
internal sealed class RejectContract : ContractStep
{
    public override string Name => "rejectContract";

    public override string Description => "Rejects a contract pending approval, saying why (comment is required).";

    protected override async Task<(string, FieldValues)> DecideAsync(IOperationContext context, CrmRecord contract, string? comment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new OperationException(SalesErrors.ReasonRequired, "Say why the contract is rejected (comment).", "comment");
        }

        await DecidePendingAsync(context, contract, id => context.Approvals.RejectAsync(id, comment, cancellationToken));
        return ("rejected", new FieldValues { ["decidedAt"] = DateTime.UtcNow, ["decisionComment"] = comment });
    }
}
