using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// <c>convertDealRegistration(id, accountId)</c>: a protected registration becomes an opportunity in
/// the sales pipeline (its default pipeline's first stage, through sales' own hooks), sourced by the
/// partner. The customer is the account given, else the existing account the registration matched
/// by company name when it was submitted, else a new account (with the contact, when named) that
/// records the partner as its source.
/// </summary>
internal sealed class ConvertDealRegistration : IPluginOperation
{
    public string Name => "convertDealRegistration";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Converts an approved, protected registration into a partner-sourced opportunity (and an account when the customer is new).";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The registration."), new("accountId", TypeRef.Id, "The customer's account, when it is known already.")];

    public TypeRef Result => TypeRef.Entity(RegistrationEntities.Registration);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var registration = await Writes.ExistingAsync(context, RegistrationEntities.Registration, "id", cancellationToken);
        Protection.Require(registration);
        var account = context.Arguments.GetValueOrDefault("accountId") is string { Length: > 0 }
            ? (await Writes.ExistingAsync(context, "account", "accountId", cancellationToken)).Id
            : await MatchedAccountAsync(context, registration, cancellationToken) ?? await NewAccountAsync(context, registration, cancellationToken);
        var partnerName = (await context.PrivilegedRecords.GetAsync("partner", registration.GetValue<Guid>("partner"), cancellationToken))?.GetValue<string>("name");
        var opportunity = await Writes.RequireAsync(context.Records.CreateAsync("opportunity", new FieldValues
        {
            ["name"] = $"{registration.GetValue<string>("customerName")} · {registration.GetValue<string>("products") ?? registration.GetValue<string>("number")}",
            ["account"] = account,
            ["amount"] = registration.GetValue<Money>("amount"),
            ["expectedCloseDate"] = registration.GetValue<DateOnly?>("expectedCloseDate"),
            ["partner"] = registration.GetValue<Guid>("partner"),
            ["partnerRole"] = "sourced",
            ["description"] = $"报备 {registration.GetValue<string>("number")}（{partnerName}）",
        }, cancellationToken));
        return await Writes.RequireAsync(context.Records.UpdateAsync(RegistrationEntities.Registration, registration.Id, new FieldValues
        {
            ["status"] = "converted",
            ["account"] = account,
            ["opportunity"] = opportunity.Id,
            ["convertedAt"] = DateTime.UtcNow,
        }, registration.Version, cancellationToken), "id");
    }

    /// <summary>The account the registration matched by company name at submission, if the caller may see it.</summary>
    private static async Task<Guid?> MatchedAccountAsync(IOperationContext context, CrmRecord registration, CancellationToken cancellationToken)
    {
        var byName = Condition.All(Condition.Eq("registration", registration.Id), Condition.Eq("kind", "account"), Condition.Has("reasons", "companyName"));
        foreach (var conflict in await context.PrivilegedRecords.FindAsync(RegistrationEntities.Conflict, byName, 5, cancellationToken))
        {
            if (conflict.GetValue<Guid?>("account") is { } id && await context.Records.GetAsync("account", id, cancellationToken) is not null)
            {
                return id;
            }
        }

        return null;
    }

    private static async Task<Guid> NewAccountAsync(IOperationContext context, CrmRecord registration, CancellationToken cancellationToken)
    {
        var account = await Writes.RequireAsync(context.Records.CreateAsync("account", new FieldValues
        {
            ["name"] = registration.GetValue<string>("customerName"),
            ["email"] = registration.GetValue<string>("email"),
            ["phone"] = registration.GetValue<string>("phone"),
            ["partner"] = registration.GetValue<Guid>("partner"),
        }, cancellationToken));
        if (registration.GetValue<string>("contactName") is { } contact)
        {
            await Writes.RequireAsync(context.Records.CreateAsync("contact", new FieldValues
            {
                ["name"] = contact,
                ["account"] = account.Id,
                ["email"] = registration.GetValue<string>("email"),
                ["phone"] = registration.GetValue<string>("phone"),
                ["isPrimary"] = true,
            }, cancellationToken));
        }

        return account.Id;
    }
}
