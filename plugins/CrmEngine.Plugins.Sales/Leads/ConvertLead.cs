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
/// keeps links to all three and its follow-ups move to the account and contact.
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
        new FieldRef("account", TypeRef.Entity(AccountEntity.Name).NonNull()),
        new FieldRef("contact", TypeRef.Entity(ContactEntity.Name).NonNull()),
        new FieldRef("opportunity", TypeRef.Entity(OpportunityEntity.Name))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.PrivilegedRecords;
        var lead = await Writes.ExistingAsync(context.Records, LeadEntity.Name, context.RecordId("id", LeadEntity.Name), "id", cancellationToken);
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

        var settings = await SalesSettings.LoadAsync(records, cancellationToken);
        var owner = lead.OwnerId!.Value;
        var account = await AccountAsync(context, records, lead, owner, cancellationToken);
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
                values["pipeline"] = (await Writes.ExistingAsync(records, PipelineEntity.Name, pipeline, "pipelineId", cancellationToken)).Id;
            }

            opportunity = await Writes.RequireAsync(records.CreateAsync(OpportunityEntity.Name, values, cancellationToken));
        }

        var converted = await Writes.RequireAsync(records.UpdateAsync(LeadEntity.Name, lead.Id, new FieldValues
        {
            ["status"] = "converted",
            ["convertedAt"] = DateTime.UtcNow,
            ["convertedAccount"] = account.Id,
            ["convertedContact"] = contact.Id,
            ["convertedOpportunity"] = opportunity?.Id,
        }, lead.Version, cancellationToken));

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
            ["account"] = await records.GetAsync(AccountEntity.Name, account.Id, cancellationToken),
            ["contact"] = contact,
            ["opportunity"] = opportunity is null ? null : await records.GetAsync(OpportunityEntity.Name, opportunity.Id, cancellationToken),
        };
    }

    private static async Task<CrmRecord> AccountAsync(IOperationContext context, IRecordApi records, CrmRecord lead, Guid owner, CancellationToken cancellationToken)
    {
        CrmRecord? account = null;
        if (Args.OptionalId(context, "accountId", AccountEntity.Name) is { } chosen)
        {
            account = await Writes.ExistingAsync(records, AccountEntity.Name, chosen, "accountId", cancellationToken);
        }
        else if (lead.GetValue("account") is Guid linked)
        {
            account = await records.GetAsync(AccountEntity.Name, linked, cancellationToken);
        }
        else if (lead.GetValue<string>("companyKey") is { } key)
        {
            account = (await records.FindAsync(AccountEntity.Name, Condition.Eq("nameKey", key), 1, cancellationToken)).FirstOrNull();
        }

        if (account is not null)
        {
            if (account.GetValue<bool?>("inPool") == true)
            {
                throw new OperationException(SalesErrors.InvalidState, $"Account '{account.GetValue<string>("name")}' is in the shared pool; claim or assign it first.", "accountId");
            }

            return account;
        }

        return await Writes.RequireAsync(records.CreateAsync(AccountEntity.Name, new FieldValues
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
}
