using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Distribution;

/// <summary><c>distributeLead(leadId)</c>: a channel manager offers an open lead to a partner by the rules (<see cref="LeadDistributor"/>).</summary>
internal sealed class DistributeLead : IPluginOperation
{
    public string Name => "distributeLead";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Offers an open lead to the partner the distribution rules choose; the partner accepts or rejects it within leadResponseHours.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("leadId", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Entity(DistributionEntities.Offer);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        ChannelManagers.Require(context);
        var lead = await Writes.ExistingAsync(context, "lead", "leadId", cancellationToken);
        if (lead.GetValue<string>("status") is not ("new" or "contacted" or "qualified") || lead.GetValue<string>("partnerStatus") is not null)
        {
            throw new OperationException(PartnerErrors.InvalidState, $"Lead '{lead.GetValue<string>("name")}' is {lead.GetValue<string>("status")}{(lead.GetValue<string>("partnerStatus") is { } p ? $", {p} to a partner" : string.Empty)}; only open leads not with a partner are distributed.", "leadId");
        }

        return await LeadDistributor.OfferAsync(context.PrivilegedRecords, context.Settings, lead, DateTime.UtcNow, cancellationToken)
            ?? throw new OperationException(PartnerErrors.NoCandidate, $"No rule finds a partner with room for lead '{lead.GetValue<string>("name")}'.", "leadId");
    }
}

/// <summary>
/// A partner's answer to a lead offered to it, through the portal: the caller must see the lead
/// (partner staff see their own partner's leads only, so another partner's lead is NOT_FOUND, as a
/// made-up one) and the offer must still be open.
/// </summary>
internal abstract class LeadAnswer : IPluginOperation
{
    public abstract string Name { get; }

    public OperationKind Kind => OperationKind.Mutation;

    public abstract string Description { get; }

    public abstract IReadOnlyList<OperationArgument> Arguments { get; }

    public TypeRef Result => TypeRef.Entity(DistributionEntities.Offer);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var lead = await Writes.ExistingAsync(context, "lead", "leadId", cancellationToken);
        var offer = await LeadDistributor.PendingOfferAsync(context.PrivilegedRecords, lead, cancellationToken);
        var now = DateTime.UtcNow;
        if (offer.GetValue<DateTime>("dueAt") < now)
        {
            throw new OperationException(PartnerErrors.OfferExpired, $"The offer of lead '{lead.GetValue<string>("name")}' ended at {offer.GetValue<DateTime>("dueAt"):yyyy-MM-dd HH:mm} UTC.", "leadId");
        }

        return await AnswerAsync(context, lead, offer, now, cancellationToken);
    }

    protected abstract Task<CrmRecord> AnswerAsync(IOperationContext context, CrmRecord lead, CrmRecord offer, DateTime now, CancellationToken cancellationToken);
}

/// <summary><c>acceptPartnerLead(leadId)</c>: the partner takes the lead; converting it makes a partner-sourced opportunity.</summary>
internal sealed class AcceptPartnerLead : LeadAnswer
{
    public override string Name => "acceptPartnerLead";

    public override string Description => "Accepts a lead offered to the caller's partner.";

    public override IReadOnlyList<OperationArgument> Arguments { get; } = [new("leadId", TypeRef.Id.NonNull())];

    protected override async Task<CrmRecord> AnswerAsync(IOperationContext context, CrmRecord lead, CrmRecord offer, DateTime now, CancellationToken cancellationToken)
    {
        var records = context.PrivilegedRecords;
        await Writes.RequireAsync(records.UpdateAsync("lead", lead.Id, new FieldValues { ["partnerStatus"] = "accepted", ["partnerDueAt"] = null }, lead.Version, cancellationToken), "leadId");
        return await Writes.RequireAsync(records.UpdateAsync(DistributionEntities.Offer, offer.Id, new FieldValues { ["status"] = "accepted", ["decidedAt"] = now }, offer.Version, cancellationToken), "leadId");
    }
}

/// <summary><c>rejectPartnerLead(leadId, reason)</c>: the partner declines (saying why) and the lead is offered to the next partner at once.</summary>
internal sealed class RejectPartnerLead : LeadAnswer
{
    public override string Name => "rejectPartnerLead";

    public override string Description => "Rejects a lead offered to the caller's partner, saying why; it is offered to the next partner.";

    public override IReadOnlyList<OperationArgument> Arguments { get; } = [new("leadId", TypeRef.Id.NonNull()), new("reason", TypeRef.String.NonNull())];

    protected override async Task<CrmRecord> AnswerAsync(IOperationContext context, CrmRecord lead, CrmRecord offer, DateTime now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(context.Argument<string>("reason")))
        {
            throw new OperationException(PartnerErrors.InvalidInput, "Say why the lead is rejected.", "reason");
        }

        var records = context.PrivilegedRecords;
        var rejected = await Writes.RequireAsync(records.UpdateAsync(DistributionEntities.Offer, offer.Id, new FieldValues { ["status"] = "rejected", ["decidedAt"] = now, ["reason"] = context.Argument<string>("reason")!.Trim() }, offer.Version, cancellationToken), "leadId");
        await LeadDistributor.OfferAsync(records, context.Settings, lead, now, cancellationToken);
        return rejected;
    }
}

/// <summary>
/// Every 15 minutes, offers left unanswered past their time expire and their leads go to the next
/// partner (or back to sales, when none has room). Each offer expires under its version, so a run
/// repeated or racing another host redistributes nothing twice.
/// </summary>
internal sealed class LeadRedistribution : IScheduledJob
{
    public string Name => "redistribute-partner-leads";

    public string Cron => "*/15 * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var late = Condition.All(Condition.Eq("status", "offered"), Condition.Lt("dueAt", context.ScheduledAt));
        foreach (var offer in await RecordReads.AllAsync(context.Records, DistributionEntities.Offer, late, cancellationToken))
        {
            var expired = await context.Records.UpdateAsync(DistributionEntities.Offer, offer.Id, new FieldValues { ["status"] = "expired", ["decidedAt"] = context.ScheduledAt }, offer.Version, cancellationToken);
            if (expired.Succeeded && await context.Records.GetAsync("lead", offer.GetValue<Guid>("lead"), cancellationToken) is { } lead)
            {
                await LeadDistributor.OfferAsync(context.Records, context.Settings, lead, context.ScheduledAt, cancellationToken);
            }
        }
    }
}
