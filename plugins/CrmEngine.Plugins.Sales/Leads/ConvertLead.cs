using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// <c>convertLead</c>: in one transaction, the lead becomes an account (new, or the one it belongs
/// to or names), a contact and optionally an opportunity, all owned by the lead's owner; the lead
/// keeps links to all three and its follow-ups move to the account and contact. The caller converts
/// a lead they may change, into an account they can see: records beyond their scope are answered
/// as if they did not exist.
/// </summary>
internal sealed class ConvertLead : IPluginOperation
{
    public string Name => "convertLead";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Converts a lead into an account, a contact and optionally an opportunity, atomically, keeping links.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull(), "The lead."),
        new("accountId", TypeRef.Id, "An existing account to convert into; by default the lead's linked account, one with the same normalised name, or a new one."),
        new("createOpportunity", TypeRef.Boolean, "Also create an opportunity."),
        new("opportunityName", TypeRef.String),
        new("amount", TypeRef.Decimal, "The opportunity's amount, in the tenant's currency."),
        new("expectedCloseDate", TypeRef.Date),
        new("pipelineId", TypeRef.Id, "The opportunity's pipeline; the default pipeline when omitted."),
    ];

    public TypeRef Result => TypeRef.Object("ConvertLeadResult",
        new FieldRef("lead", TypeRef.Entity(LeadEntity.Name).NonNull()),
        new FieldRef("account", TypeRef.Entity(AccountEntity.Name), "The account, as the caller may see it."),
        new FieldRef("contact", TypeRef.Entity(ContactEntity.Name), "The contact, as the caller may see it."),
        new FieldRef("opportunity", TypeRef.Entity(OpportunityEntity.Name))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.PrivilegedRecords;
        var lead = await Visibility.RequireAsync(context, LeadEntity.Name, context.RecordId("id", LeadEntity.Name), "id", cancellationToken);
        switch (lead.GetValue<string>("status"))
        {
            case "converted":
                throw new OperationException(SalesErrors.AlreadyConverted, $"Lead '{lead.GetValue<string>("name")}' was already converted.", "id");
            case "unqualified":
                throw new OperationException(SalesErrors.InvalidState, $"Lead '{lead.GetValue<string>("name")}' is unqualified; qualify it before converting.", "id");
        }

        var amount = context.Argument<decimal?>("amount");
        if (amount is < 0)
        {
            throw new OperationException(SalesErrors.InvalidInput, "The opportunity's amount can't be negative.", "amount");
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var owner = lead.OwnerId!.Value;
        var account = await AccountAsync(context, lead, owner, cancellationToken);
        var contact = await Writes.RequireAsync(records.CreateAsync(ContactEntity.Name, new FieldValues
        {
            ["name"] = lead.GetValue("name"),
            ["account"] = account.Id,
            ["title"] = lead.GetValue("title"),
            ["email"] = lead.GetValue("email"),
            ["phone"] = lead.GetValue("phone"),
            ["isPrimary"] = true,
            ["ownerId"] = owner,
        }, cancellationToken));

        CrmRecord? opportunity = null;
        if (context.Argument<bool?>("createOpportunity") == true)
        {
            var values = new FieldValues
            {
                ["name"] = context.Argument<string>("opportunityName") is { Length: > 0 } name ? name : $"{account.GetValue<string>("name")} - {lead.GetValue<string>("name")}",
                ["account"] = account.Id,
                ["contact"] = contact.Id,
                ["ownerId"] = owner,
            };
            if (amount is { } value)
            {
                values["amount"] = new Money(value, settings.Currency);
            }

            if (context.Argument<DateOnly?>("expectedCloseDate") is { } closeDate)
            {
                values["expectedCloseDate"] = closeDate;
            }

            if (Args.OptionalId(context, "pipelineId", PipelineEntity.Name) is { } pipeline)
            {
                values["pipeline"] = (await Visibility.RequireAsync(context, PipelineEntity.Name, pipeline, "pipelineId", cancellationToken)).Id;
            }

            opportunity = await Writes.RequireAsync(records.CreateAsync(OpportunityEntity.Name, values, cancellationToken));
        }

        // The lead changes as the caller: converting a lead is changing it, which their role must allow.
        var converted = await Writes.RequireAsync(context.Records.UpdateAsync(LeadEntity.Name, lead.Id, new FieldValues
        {
            ["status"] = "converted",
            ["convertedAt"] = DateTime.UtcNow,
            ["convertedAccount"] = account.Id,
            ["convertedContact"] = contact.Id,
            ["convertedOpportunity"] = opportunity?.Id,
        }, lead.Version, cancellationToken), "id");

        await foreach (var activity in records.QueryAllAsync(ActivityEntity.Name, Condition.Eq("lead", lead.Id), cancellationToken: cancellationToken))
        {
            await Writes.RequireAsync(records.UpdateAsync(ActivityEntity.Name, activity.Id, new FieldValues
            {
                ["account"] = activity.GetValue("account") ?? account.Id,
                ["contact"] = activity.GetValue("contact") ?? contact.Id,
            }, cancellationToken: cancellationToken));
        }

        return new Dictionary<string, object?>
        {
            ["lead"] = converted,
            ["account"] = await Visibility.AsSeenAsync(context, account, cancellationToken),
            ["contact"] = await Visibility.AsSeenAsync(context, contact, cancellationToken),
            ["opportunity"] = await Visibility.AsSeenAsync(context, opportunity, cancellationToken),
        };
    }

    /// <summary>
    /// The account to convert into: the one named, else the lead's own, else one with the same
    /// normalised name, among those the caller can see (a hidden one is as if it did not exist); a new one otherwise.
    /// </summary>
    private static async Task<CrmRecord> AccountAsync(IOperationContext context, CrmRecord lead, Guid owner, CancellationToken cancellationToken)
    {
        var account = Args.OptionalId(context, "accountId", AccountEntity.Name) is { } chosen
            ? await Visibility.RequireAsync(context, AccountEntity.Name, chosen, "accountId", cancellationToken)
            : await ExistingAsync(context, lead, cancellationToken);
        if (account is not null)
        {
            if (account.GetValue<bool?>("inPool") == true)
            {
                throw new OperationException(SalesErrors.InvalidState, $"Account '{account.GetValue<string>("name")}' is in the shared pool; claim or assign it first.", "accountId");
            }

            return account;
        }

        return await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(AccountEntity.Name, new FieldValues
        {
            ["name"] = lead.GetValue<string>("company") ?? lead.GetValue<string>("name"),
            ["industry"] = lead.GetValue("industry"),
            ["phone"] = lead.GetValue("phone"),
            ["email"] = lead.GetValue("email"),
            ["province"] = lead.GetValue("province"),
            ["city"] = lead.GetValue("city"),
            ["source"] = lead.GetValue("source"),
            ["lifecycleStage"] = "contacted",
            ["ownerId"] = owner,
        }, cancellationToken));
    }

    private static async Task<CrmRecord?> ExistingAsync(IOperationContext context, CrmRecord lead, CancellationToken cancellationToken)
    {
        if (lead.GetValue("account") is Guid linked && await Visibility.FindAsync(context, AccountEntity.Name, linked, cancellationToken) is { } account)
        {
            return account;
        }

        return lead.GetValue<string>("companyKey") is { } key && (await context.Records.FindAsync(AccountEntity.Name, Condition.Eq("nameKey", key), 1, cancellationToken)).FirstOrNull() is { } named
            ? await context.PrivilegedRecords.GetAsync(AccountEntity.Name, named.Id, cancellationToken)
            : null;
    }
}
